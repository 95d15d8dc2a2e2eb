#!/usr/bin/env sh
# Regenerates the OTP-produced ETF fixtures in src/test/resources/etf/.
# Needs Erlang/OTP (Debian: apt-get install -y erlang-nox). Commit the result.
set -eu
cd "$(dirname "$0")/.."
command -v escript >/dev/null 2>&1 || {
  echo "escript not found: install Erlang/OTP (apt-get install -y erlang-nox)" >&2
  exit 1
}
rm -f src/test/resources/etf/*.etf
escript src/test/erlang/etf_fixtures.escript src/test/resources/etf
