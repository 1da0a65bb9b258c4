package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.registry.RegistryException.Kind;
import org.junit.jupiter.api.Test;

/** Callers decide on what happened, not on a status: each answer and non-answer has its kind. */
class RegistryExceptionTest {
  @Test
  void answersHaveTheirKindAndOnlyTransientOnesAreRetried() {
    assertEquals(Kind.UNAUTHORIZED, RegistryException.answered("x", 401).kind());
    assertEquals(Kind.DENIED, RegistryException.answered("x", 403).kind());
    assertEquals(Kind.NOT_FOUND, RegistryException.answered("x", 404).kind());
    assertEquals(Kind.RATE_LIMITED, RegistryException.answered("x", 429, "3").kind());
    assertEquals("3", RegistryException.answered("x", 429, "3").retryAfter());
    assertEquals(Kind.SERVER_ERROR, RegistryException.answered("x", 503).kind());
    assertEquals(Kind.SERVER_ERROR, RegistryException.answered("x", 408).kind());
    assertEquals(Kind.REJECTED, RegistryException.answered("x", 400).kind());
    for (int status : new int[] {408, 429, 500, 503}) {
      assertTrue(RegistryException.answered("x", status).isRetryable(), "HTTP " + status);
    }
    for (int status : new int[] {400, 401, 403, 404, 409}) {
      assertFalse(RegistryException.answered("x", status).isRetryable(), "HTTP " + status);
    }
  }

  @Test
  void refusalsByRuleKeepTheirKindAndAreNeverRetried() {
    for (Kind kind : new Kind[] {Kind.IMMUTABLE_TAG, Kind.REPOSITORY_MISSING, Kind.QUOTA_EXCEEDED}) {
      RegistryException refused = RegistryException.refused("x", kind, 507);
      assertEquals(kind, refused.kind());
      assertEquals(507, refused.status());
      assertFalse(refused.isRetryable(), kind + ", even with a 5xx status");
    }
    assertFalse(RegistryTransport.isRetryable(507), "507 Insufficient Storage: a full quota stays full");
    assertTrue(RegistryTransport.isRetryable(503));
  }

  @Test
  void noAnswerIsUnreachableAndRetriedWhatWasNotSentIsNot() {
    RegistryException unreachable = RegistryException.unreachable("reset", new java.io.IOException("reset"));
    assertEquals(Kind.UNREACHABLE, unreachable.kind());
    assertEquals(-1, unreachable.status(), "no answer, no status");
    assertTrue(unreachable.isRetryable());
    assertFalse(RegistryException.notSent("plain HTTP").isRetryable());
    assertEquals(Kind.NOT_SENT, RegistryException.notSent("plain HTTP").kind());
    assertFalse(RegistryException.redirectLoop("loop").isRetryable());
  }
}
