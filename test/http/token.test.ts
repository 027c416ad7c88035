// The token rules shared by the console and the proxy: parsers, the compare, the redirect location.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createTokenCheck, isSameToken, locationWithoutToken, readBearer, readCookie, readQueryToken } from "../../server/http/token.ts";

test("the redirect location drops only `token` and always names a path on this origin", () => {
  const cases: Array<[string, string]> = [
    ["/?view=web&token=t", "/?view=web"],
    ["/a/b?x=1&token=t&y=2", "/a/b?x=1&y=2"],
    ["/.//evil.example/x?token=t", "/evil.example/x"],
    ["//evil.example/x?token=t", "/evil.example/x"],
    ["/\\evil.example/x?token=t", "/evil.example/x"],
    ["/\\/evil.example?token=t", "/evil.example"],
    ["///evil.example?token=t", "/evil.example"],
    ["/a/../..//evil.example?token=t", "/evil.example"],
    ["http://evil.example/x?token=t", "/evil.example/x"],
    ["/%2F%2Fevil.example?token=t", "/%2F%2Fevil.example"],
    ["*", "/"],
  ];
  for (const [target, location] of cases) assert.equal(locationWithoutToken(target), location, target);
});

test("the query token is read from any target, and a target no URL can hold has none", () => {
  assert.equal(readQueryToken("/?a=1&token=t%20x"), "t x");
  assert.equal(readQueryToken("//evil.example/?token=t"), "t");
  assert.equal(readQueryToken("/?tokens=t"), null);
  assert.equal(readQueryToken("[x?token=t"), null);
});

test("a cookie is found by exact name and URI-decoded; a malformed value is no value", () => {
  assert.equal(readCookie("a=1; devdeck_token_7007=abc%3D; b=2", "devdeck_token_7007"), "abc=");
  assert.equal(readCookie("devdeck_token_70070=abc", "devdeck_token_7007"), undefined);
  assert.equal(readCookie("x_devdeck_token_7007=abc", "devdeck_token_7007"), undefined);
  assert.equal(readCookie("=abc; devdeck_token_7007", "devdeck_token_7007"), undefined);
  assert.equal(readCookie("devdeck_token_7007=%E0%A4%A", "devdeck_token_7007"), undefined);
  assert.equal(readCookie(undefined, "devdeck_token_7007"), undefined);
});

test("a Bearer token is read in any case of the scheme, and nothing else is one", () => {
  assert.equal(readBearer("Bearer abc"), "abc");
  assert.equal(readBearer("bearer   abc  "), "abc");
  assert.equal(readBearer("Basic abc"), undefined);
  assert.equal(readBearer("Bearer abc def"), undefined);
  assert.equal(readBearer("Bearer"), undefined);
  assert.equal(readBearer(undefined), undefined);
});

test("tokens compare equal only when identical, whatever their lengths", () => {
  const check = createTokenCheck("abc");
  for (const [given, expected] of [["abc", true], ["abd", false], ["ab", false], ["", false], ["abcd", false]] as const) {
    assert.equal(isSameToken(given, "abc"), expected, given);
    assert.equal(check(given), expected, given);
  }
  assert.equal(check(undefined), false);
});
