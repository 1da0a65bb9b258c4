package io.github.multiarch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.OciJson;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What registries refuse by a rule of their own, told apart from an ordinary failure so that the message says
 * which rule and what to do. Each is recognised by the registry's error code and message, since the statuses
 * vary between registries and versions:
 * <ul>
 *   <li>an immutable tag: Harbor answers {@code 412 PRECONDITION} (earlier {@code 403 DENIED}) "... configured
 *       as immutable" (goharbor/harbor#9837); ECR answers {@code 400 TAG_INVALID} "The image tag '...' already
 *       exists in the '...' repository and cannot be overwritten because the repository is immutable"
 *       ({@code ImageTagAlreadyExistsException} in its API, aws/containers-roadmap#2380);</li>
 *   <li>a repository that must exist first: ECR answers a push with {@code 404 NAME_UNKNOWN} "The repository with
 *       name '...' does not exist in the registry with id '...'" (registries that create repositories on push
 *       never answer a push so);</li>
 *   <li>a quota: Harbor answers {@code 403 DENIED} (or {@code 412}) "... will exceed the configured upper limit
 *       ..." (goharbor/harbor#8688, #17390), GitLab and others {@code DENIED} with "quota" in the message,
 *       {@code 507 Insufficient Storage} or {@code 413}.</li>
 * </ul>
 */
final class Refusals {
  /** {@code /v2/<name>/manifests/<reference>}, {@code /v2/<name>/blobs/...}: the repository and what follows. */
  private static final Pattern V2_PATH = Pattern.compile("/v2/(.+?)/(manifests|blobs)/(.*)");

  private Refusals() {}

  /** The registry's errors as {@code CODE: message}, empty when the body holds none. */
  record Errors(List<String> codes, List<String> messages) {
    boolean hasCode(String code) {
      return codes.contains(code);
    }

    boolean says(String... words) {
      for (String message : messages) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (String word : words) {
          if (lower.contains(word)) {
            return true;
          }
        }
      }
      return false;
    }

    String quoted() {
      return messages.isEmpty() ? "" : "\"" + String.join("; ", messages) + "\"";
    }
  }

  /**
   * {@code plain}, or a clearer failure when the answer is one of the refusals above. Only requests that write
   * (POST, PUT, PATCH) can be refused so: a read that finds nothing is no refusal.
   */
  static RegistryException explain(String registry, HttpResponse<byte[]> response, RegistryException plain) {
    String method = response.request().method();
    if (!method.equals("PUT") && !method.equals("POST") && !method.equals("PATCH")) {
      return plain;
    }
    int status = response.statusCode();
    Errors errors = errors(response.body());
    Matcher path = V2_PATH.matcher(response.request().uri().getRawPath());
    String repository = path.matches() ? path.group(1) : null;
    String where = repository == null ? registry : registry + "/" + repository;
    String reference = path.matches() && path.group(2).equals("manifests") ? path.group(3) : null;
    if (status == 507 || status == 413 || errors.says("quota", "exceed the configured upper limit")) {
      String said = errors.quoted().isEmpty() ? "HTTP " + status + (status == 507 ? " Insufficient Storage"
          : status == 413 ? " Payload Too Large" : "") : errors.quoted();
      // 413 is a limit on one request's size (a proxy's body limit) more often than on the repository's
      String limit = status == 413 ? "a size limit" : "a quota";
      return RegistryException.refused(where + " refused the push over " + limit + ": " + said + " (HTTP " + status
          + "). Free space there (delete unused tags and let the registry collect garbage) or ask its "
          + "administrators to raise the " + (status == 413 ? "limit" : "quota") + ", then push again: what is "
          + "already there is not uploaded twice",
          RegistryException.Kind.QUOTA_EXCEEDED, status);
    }
    boolean immutable = errors.says("immutable", "cannot be overwritten", "imagetagalreadyexists");
    if (reference != null && !Digest.isValid(reference) && immutable) {
      return RegistryException.refused(where + " refused to move the tag '" + reference + "': the registry keeps "
          + "it immutable (its rule: " + errors.quoted() + ", HTTP " + status + "). The tag names other content "
          + "there already and cannot be pushed again; push under a new tag (e.g. the next version), or ask the "
          + "registry's administrators to exempt the tag (Harbor: the project's tag immutability rules; ECR: the "
          + "repository's tag mutability). Children and blobs are in place: only the tag was refused",
          RegistryException.Kind.IMMUTABLE_TAG, status);
    }
    if (errors.hasCode("NAME_UNKNOWN")) {
      return RegistryException.refused(where + " has no repository " + (repository == null ? "" : repository + " ")
          + "and does not create one on push (" + "NAME_UNKNOWN: " + errors.quoted() + "). Create the repository "
          + "first (on ECR: aws ecr create-repository --repository-name " + (repository == null ? "NAME" : repository)
          + "), then push again", RegistryException.Kind.REPOSITORY_MISSING, status);
    }
    return plain;
  }

  /** The {@code errors} of a registry's answer (distribution-spec "Error Codes"); none when it has no such body. */
  static Errors errors(byte[] body) {
    List<String> codes = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    if (body == null || body.length == 0 || body.length > 64 * 1024) {
      return new Errors(codes, messages);
    }
    try {
      JsonNode node = OciJson.parse(body, "error");
      for (JsonNode error : node.path("errors")) {
        codes.add(error.path("code").asText());
        String message = error.path("message").asText("");
        // ECR and Harbor put the reason in the message; some registries only in the detail
        messages.add(message.isEmpty() ? error.path("detail").toString() : message);
      }
    } catch (RuntimeException notJson) {
      // a proxy's HTML page or plain text: no codes, but words may still say what happened
      String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
      if (!text.isEmpty() && text.length() <= 300) {
        messages.add(text);
      }
    }
    return new Errors(codes, messages);
  }
}
