package headroom.artifact;

import headroom.artifact.quant.QuantizedTensor;

import java.util.List;

/** A decoded container: its header and its tensors, in table order. */
public record Container(ContainerHeader header, List<QuantizedTensor> tensors) {

    public Container {
        tensors = List.copyOf(tensors);
    }
}
