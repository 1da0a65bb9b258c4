package io.github.multiarch.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** The request bodies of a blob upload: a whole file that reports its progress, or one chunk of it. */
final class UploadBodies {
  private UploadBodies() {}

  /** A body that reports how many of its bytes have been handed to the connection (from the client's threads). */
  static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher body, LongConsumer sentSoFar) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicLong sent = new AtomicLong(); // per subscription: a request sent again counts from 0
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            int bytes = item.remaining();
            subscriber.onNext(item);
            sentSoFar.accept(sent.addAndGet(bytes));
          }

          @Override
          public void onError(Throwable throwable) {
            subscriber.onError(throwable);
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        });
      }
    };
  }

  /** Bytes {@code offset} to {@code offset + length} of {@code file}: one chunk of a chunked upload. */
  static byte[] chunk(Path file, long offset, int length) throws IOException {
    byte[] chunk = new byte[length];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          throw new IOException(file + " is shorter than expected");
        }
      }
    }
    return chunk;
  }
}
