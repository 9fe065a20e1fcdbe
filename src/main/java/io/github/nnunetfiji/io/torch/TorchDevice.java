package io.github.nnunetfiji.io.torch;

/** A {@code torch.device} of a checkpoint's metadata (the reference stores its training device). */
public record TorchDevice(String type, Integer index) {

    @Override
    public String toString() {
        return index == null ? type : type + ":" + index;
    }
}
