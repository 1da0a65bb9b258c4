package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token scopes asked for: one per scope parameter, and what a challenge adds. */
class ScopeAndChallengeTest {
  @Test
  void aChallengeScopeParameterIsASpaceSeparatedList() {
    Challenge c = Challenge.parse("Bearer realm=\"https://auth.example/token\",service=\"reg\","
        + "scope=\"repository:a:push,pull repository:b:pull\",error=\"insufficient_scope\"");
    assertEquals(List.of("repository:a:push,pull", "repository:b:pull"), c.scopes());
    assertEquals(Map.of("realm", "https://auth.example/token", "service", "reg"), c.withoutScope().parameters());
    assertEquals(List.of(), Challenge.parse("Bearer realm=\"r\"").scopes());
  }

  @Test
  void scopesAlreadyCoveredAreNotAskedTwice() {
    Scope mount = Scope.pushAndPull("a", "b");
    assertEquals(mount, Scope.with(mount, List.of("repository:a:push,pull", "repository:b:pull")));
    assertEquals(List.of("repository:a:pull,push", "repository:b:pull", "repository:a:delete"),
        Scope.with(mount, List.of("repository:a:delete")).values());
    assertEquals(List.of("repository:a:pull", "repository:a:push"),
        Scope.with(Scope.pull("a"), List.of("repository:a:push")).values());
    assertEquals(List.of("registry:catalog:*"), Scope.with(null, List.of("registry:catalog:*")).values());
  }
}
