"""Misconceptions about convolution layers (deck: CNNs; Goodfellow et al., *Deep Learning*, ch. 9:
sparse interactions, parameter sharing, equivariant representations)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "conv-no-sharing": Mistake(
        "thinks a convolution layer has its own kernel at every position of the image",
        "Parameter sharing: one kernel (k × k × C_in weights per filter) slides over the whole image and "
        "is used at every position, so the count does not grow with the image's height and width."),
    "conv-kernel-one-channel": Mistake(
        "forgets that each filter spans all input channels",
        "A k × k filter on a C_in-channel input has k·k·C_in weights: it looks at every channel of its "
        "k × k window (an RGB image has C_in = 3)."),
    "fc-forgets-channels": Mistake(
        "counts the pixels of a colour image without its channels",
        "A fully connected layer on an H × W × 3 image sees H·W·3 input numbers, one per pixel and "
        "channel, and has a weight from each of them to each hidden unit."),
    "conv-invariant": Mistake(
        "confuses translation equivariance with invariance",
        "A convolution is equivariant: shifting the input shifts the feature map by the same amount. "
        "The output does change; it moves with the input. Invariance to small shifts comes from pooling."),
    "conv-global": Mistake(
        "thinks each output of a convolution layer depends on the whole input image",
        "Sparse (local) interactions: an output of a k × k convolution depends only on the k × k window "
        "under the kernel (in every channel); it is depth that widens the receptive field."),
    "rf-multiplies": Mistake(
        "thinks receptive fields multiply with depth (k^L) rather than grow by k − 1 per layer",
        "With stride 1, each k × k layer adds k − 1 pixels to the receptive field: after L layers it is "
        "1 + L(k − 1) pixels wide, growing linearly, not as a power."),
    "rf-sum-kernels": Mistake(
        "adds the kernel sizes to get the receptive field",
        "Two 3 × 3 layers see 5 × 5, not 6 × 6: the windows overlap, so each layer adds k − 1, not k."),
    "rf-no-depth": Mistake(
        "thinks the receptive field stays the kernel size however many layers are stacked",
        "Each layer's output looks at a k × k window of the previous feature map, whose entries each "
        "already see a window of the input, so the receptive field grows with every layer."),
    "padding-forgotten": Mistake(
        "forgets the padding in the output size",
        "The output width is (N − k + 2P)/S + 1: the padding P adds P pixels on each side."),
    "stride-forgotten": Mistake(
        "forgets the stride in the output size",
        "With stride S the kernel moves S pixels at a time, so the output width is (N − k + 2P)/S + 1, "
        "about N/S, not N − k + 2P + 1."),
    "padding-adds-information": Mistake(
        "thinks padding adds information or parameters to the layer",
        "Zero padding puts zeros around the border: no new information and no new weights. It keeps "
        "the output size (P = (k − 1)/2 with stride 1) and lets the kernel be centred on border pixels too."),
    "stride-is-kernel": Mistake(
        "confuses the stride with the kernel size",
        "The kernel size is the window's width; the stride is how far the window moves between outputs. "
        "A 3 × 3 kernel can have stride 1 (overlapping windows) or 2 (downsampling)."),
    "conv1x1-identity": Mistake(
        "thinks a 1 × 1 convolution does nothing (is the identity or a single scaling)",
        "A 1 × 1 convolution with C_out filters computes, at each pixel, C_out weighted sums of the "
        "C_in channel values: a fully connected layer across channels, shared over all pixels."),
    "conv1x1-spatial": Mistake(
        "thinks a 1 × 1 convolution mixes neighbouring pixels or changes the height and width",
        "Its window is one pixel: it never mixes neighbouring pixels, and with stride 1 the height and "
        "width stay; only the number of channels changes (C_in to C_out)."),
    "conv-params-depend-on-size": Mistake(
        "thinks a convolution layer's number of weights depends on the input image's size",
        "A layer with C_out filters of size k × k × C_in has k·k·C_in·C_out weights and C_out biases, "
        "whatever the height and width: the same layer runs on a 32 × 32 or a 224 × 224 image."),
    "conv-no-nonlinearity": Mistake(
        "thinks stacking convolutions without nonlinearities gives a more expressive network",
        "A composition of convolutions (linear maps) is one linear map; the nonlinearity between layers "
        "is what makes depth add expressive power."),
}
