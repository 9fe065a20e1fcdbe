package io.github.nnunetfiji.io.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One storage of a checkpoint ({@code DIR/data/KEY}): its element type and bytes. Tensors are views
 * of storages; the reference's checkpoints hold each weight under two names, both views of one
 * storage, which is read once.
 */
final class TorchStorage {

    final String key;
    final TorchDtype dtype;
    final long elements;
    private final ByteBuffer bytes;

    TorchStorage(String key, TorchDtype dtype, byte[] data) {
        this.key = key;
        this.dtype = dtype;
        this.elements = data.length / dtype.bytes();
        this.bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    float get(long index) {
        return dtype.read(bytes, index);
    }
}
