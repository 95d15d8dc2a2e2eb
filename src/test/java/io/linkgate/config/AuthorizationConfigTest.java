package io.linkgate.config;

import io.linkgate.acl.AclRules;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code authorization { ... }} as EMQX writes it, validated with paths; the ACL file is part of the config. */
class AuthorizationConfigTest {

  static List<ValidationError> errors(String hocon) {
    List<ValidationError> errors = new ArrayList<>();
    LinkgateConfig.fromJson(ConfigLoader.parse(hocon, "test"), "", errors);
    return errors;
  }

  static AuthorizationOptions load(String hocon) {
    return ConfigLoader.fromJson(ConfigLoader.parse(hocon, "test")).authorization();
  }

  @Test
  void withoutASectionTheBuiltInRulesApply() {
    AuthorizationOptions a = LinkgateConfig.defaults().authorization();
    assertThat(a).isEqualTo(AuthorizationOptions.DEFAULT);
    assertThat(a.noMatchAllows()).isTrue();
    assertThat(a.disconnectOnDeny()).isFalse();
    assertThat(a.sources()).isNull();
    assertThat(a.activeRules()).containsExactly(AclRules.defaults());
  }

  @Test
  void anEmqxBlockLoadsAsWritten(@TempDir Path dir) throws Exception {
    Path acl = Files.writeString(dir.resolve("acl.conf"), "{allow, {clientid, {re, \"^clink-us-east\"}}, all, "
      + "[\"$LINK/#\"]}.\n{deny, all}.\n");
    AuthorizationOptions a = load("""
      authorization {
        no_match = deny
        deny_action = disconnect
        cache { enable = false, max_size = 64, ttl = 2m, excludes = ["a/#"] }
        sources = [ { type = file, enable = true, path = "%s" },
                    { type = file, enable = false, path = "/nowhere/acl.conf" } ]
      }
      """.formatted(acl));
    assertThat(a.noMatchAllows()).isFalse();
    assertThat(a.disconnectOnDeny()).isTrue();
    assertThat(a.cache()).isEqualTo(new AuthorizationOptions.Cache(false, 64, Duration.ofMinutes(2)));
    assertThat(a.sources()).hasSize(2);
    assertThat(a.activeRules()).hasSize(1);
    assertThat(a.activeRules().get(0).size()).isEqualTo(2);
    assertThat(ConfigLoader.fromJson(new JsonObject().put("authorization", a.toJson())).authorization())
      .isEqualTo(a);
  }

  @Test
  void emptySourcesMeansNoRules() {
    AuthorizationOptions a = load("authorization.sources = []");
    assertThat(a.activeRules()).isEmpty();
  }

  @Test
  void mistakesAreReportedWithTheirPath(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.conf"),
        "{allow, all}.\n\n{allow, {clientid, \"x\"}, write, [\"t\"]}.\n");
    List<ValidationError> errors = errors("""
      authorization {
        no_match = maybe
        deny_action = shout
        cache.max_size = 0
        color = blue
        sources = [
          { type = file, path = "%s" },
          { type = http, path = "x" },
          { type = file },
          { type = file, path = "%s" },
          "acl.conf"
        ]
      }
      """.formatted(bad, dir.resolve("missing.conf")));
    assertThat(errors).extracting(ValidationError::toString).anySatisfy(e ->
      assertThat(e).startsWith("authorization.no_match: must be one of [allow, deny]"));
    assertThat(errors).extracting(ValidationError::toString)
      .anyMatch(e -> e.startsWith("authorization.deny_action: must be one of [ignore, disconnect]"))
      .anyMatch(e -> e.startsWith("authorization.cache.max_size:"))
      .anyMatch(e -> e.equals("authorization.color: unknown key"))
      .anyMatch(e -> e.equals("authorization.sources[0].path: " + bad + ":3: unknown action 'write': expected "
        + "publish, subscribe or all"))
      .anyMatch(e -> e.startsWith("authorization.sources[1].type: only type = file is supported"))
      .anyMatch(e -> e.equals("authorization.sources[2].path: missing required key"))
      .anyMatch(e -> e.startsWith("authorization.sources[3].path: cannot read the ACL file"))
      .anyMatch(e -> e.startsWith("authorization.sources[4]: expected an object"));
  }
}
