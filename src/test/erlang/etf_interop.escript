#!/usr/bin/env escript
%% -*- erlang -*-
%% Live interop check driven by the Java *ErlangInteropTest classes: one VM start for all cases.
%% Dir holds, per case N: N.expr (an Erlang expression, UTF-8), N.java (Java's plain encoding),
%% N.javaz (Java's compressed encoding). For each case it
%%  - evaluates the expression first, so its atoms exist (as they do in EMQX), then decodes
%%    Java's bytes with binary_to_term(B, [safe]), like EMQX, and compares with =:=;
%%  - compares Java's plain bytes with term_to_binary(T, [{minor_version, 2}, deterministic]);
%%  - writes OTP's encodings N.otp ({minor_version, 2}) and N.otpz ([compressed], this OTP's
%%    default minor version) for Java to decode.
%% Prints one "CASE <name> decode=<ok|...> decodez=<ok|...> bytes=<true|false>" line per case.
-mode(compile).

main([Dir]) ->
    Cases = lists:sort([filename:rootname(F) || F <- filelib:wildcard("*.expr", Dir)]),
    lists:foreach(fun(C) -> run(Dir, C) end, Cases),
    io:format("DONE ~p~n", [length(Cases)]);
main(_) ->
    io:format(standard_error, "usage: etf_interop.escript <dir>~n", []),
    halt(2).

run(Dir, Name) ->
    P = fun(Ext) -> filename:join(Dir, Name ++ Ext) end,
    {ok, Src} = file:read_file(P(".expr")),
    Expected = eval(unicode:characters_to_list(Src)),
    {ok, Java} = file:read_file(P(".java")),
    {ok, JavaZ} = file:read_file(P(".javaz")),
    ok = file:write_file(P(".otp"), term_to_binary(Expected, [{minor_version, 2}])),
    ok = file:write_file(P(".otpz"), term_to_binary(Expected, [compressed])),
    Canon = term_to_binary(Expected, [{minor_version, 2}, deterministic]),
    io:format("CASE ~s decode=~ts decodez=~ts bytes=~p~n",
              [Name, verdict(Java, Expected), verdict(JavaZ, Expected), Canon =:= Java]).

eval(Src) ->
    {ok, Tokens, _} = erl_scan:string(Src),
    {ok, Exprs} = erl_parse:parse_exprs(Tokens),
    {value, Value, _} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
    Value.

verdict(Bin, Expected) ->
    try binary_to_term(Bin, [safe]) of
        Expected -> "ok";
        Other -> one_line(io_lib:format("MISMATCH:~0tp", [Other]))
    catch
        C:E -> one_line(io_lib:format("ERROR:~p:~p", [C, E]))
    end.

one_line(Chars) ->
    string:replace(lists:flatten(Chars), " ", "_", all).
