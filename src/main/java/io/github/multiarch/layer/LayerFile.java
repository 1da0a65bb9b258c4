package io.github.multiarch.layer;

import java.nio.file.Path;

/**
 * One source put into a layer: a file, or a directory copied with everything below it, placed at the
 * absolute path {@code target} inside the image.
 *
 * @param source a file or directory on disk
 * @param target where it goes in the image, an absolute path (a directory source becomes that directory)
 * @param fileMode the permission bits of regular files (e.g. {@code 0755}), or null to take 0755 for files
 *     that are executable on disk and 0644 for the others
 */
public record LayerFile(Path source, String target, Integer fileMode) {}
