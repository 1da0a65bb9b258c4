package io.github.multiarch.index;

import io.github.multiarch.oci.Descriptor;

/** Where an existing image or index is read from: a registry repository or a local OCI layout. */
public interface ImageSource {
  /** The reference as the user wrote it. */
  String reference();

  /** The image or index the reference names. */
  ManifestBytes top();

  /** A manifest the top index lists, by digest, checked against it. */
  ManifestBytes manifest(Descriptor descriptor);

  /** A small blob (a config), checked against its digest. */
  byte[] smallBlob(Descriptor descriptor);
}
