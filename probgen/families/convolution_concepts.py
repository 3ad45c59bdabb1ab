"""Convolution, the ideas: parameter sharing and translation equivariance, why convolution rather
than a fully connected layer on the pixels (drawn sizes), receptive-field growth with depth, what
padding and stride do, 1 × 1 convolutions as channel mixing. A pool of choice, select-all,
true/false-with-justification and short items (probgen.kit.concepts, probgen.kit.conv_items)."""

from __future__ import annotations

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from ..kit.conv_items import FcVsConv, OutputSize, StackedRF

ITEMS = [
    FcVsConv(),
    StackedRF(),
    OutputSize(),
    Choice(
        "sharing",
        "What does parameter sharing mean in a convolution layer?",
        right=[Opt("The same kernel weights are used at every position of the image.",
                   "One set of k × k × C_in weights per filter, applied at every position; this is why the "
                   "weight count does not depend on the image size.")],
        wrong=[Opt("Each position of the image has its own kernel, learned for that position.",
                   mistake="conv-no-sharing"),
               Opt("All filters of a layer share one set of weights.",
                   "Then every filter would compute the same feature map; each filter has its own weights, "
                   "and it is the positions that share them."),
               Opt("Consecutive layers reuse the same kernel, so deeper layers add no weights.",
                   "Each layer has its own kernels (their shapes differ with C_in); sharing is across "
                   "positions within a layer."),
               Opt("The three colour channels share one weight per kernel position, so colour is ignored.", mistake="conv-kernel-one-channel")],
        group="sharing"),
    Choice(
        "equivariance-meaning",
        "A convolution layer is translation equivariant. What does that mean?",
        right=[Opt("If the input image is shifted, the output feature map is shifted by as much.",
                   "The same kernel is applied at every position, so a pattern moved by a few pixels produces "
                   "the same response moved by the same pixels.")],
        wrong=[Opt("If the input image is shifted, the output does not change at all, wherever the object is.", mistake="conv-invariant"),
               Opt("If the input image is rotated, the output feature map is rotated the same way, by the same angle.",
                   "A convolution is equivariant to shifts only: a rotated pattern meets the kernel in another "
                   "orientation and gives a different response."),
               Opt("Every output value depends equally on every input pixel.", mistake="conv-global"),
               Opt("The layer gives the same output value at every position.",
                   "Outputs differ from position to position: they depend on the window under the kernel. "
                   "Only the weights are the same everywhere.")],
        group="equiv"),
    TrueFalse(
        "tf-equivariant",
        "Shifting the input image one pixel to the right shifts the output of a convolution layer (stride 1) "
        "one pixel to the right, away from the borders.",
        True,
        "The same kernel is used at every position (parameter sharing), so the window that sat at column j now "
        "sits at column j + 1 and gives the same value there: the layer is translation equivariant.",
        [(1, "the same kernel weights are applied at every position"),
         (1, "so the shifted window gives the same value one position to the right (equivariance)")],
        mistake="conv-invariant", group="equiv"),
    TrueFalse(
        "tf-invariant",
        "A convolution layer's output is unchanged when the input image is shifted by one pixel.",
        False,
        "The output moves with the input: convolution is equivariant, not invariant, to shifts. The feature "
        "map changes (each value moves one position); invariance to small shifts comes from pooling.",
        [(1, "the output shifts with the input (equivariance)"),
         (1, "so it changes; invariance to small shifts needs pooling")],
        mistake="conv-invariant", group="equiv"),
    TrueFalse(
        "tf-local",
        "Each output value of a $3 \\times 3$ convolution layer depends on every pixel of the input image.",
        False,
        "It depends only on the 3 × 3 window under the kernel (in every input channel): sparse, local "
        "interactions. Stacking layers widens the receptive field.",
        [(1, "each output sees only the k × k window (all channels)"),
         (1, "a wider view comes from depth (receptive field)")],
        mistake="conv-global"),
    Multi(
        "why-conv",
        "Why do networks on images use convolution layers rather than fully connected layers on the pixels?",
        right=[Opt("far fewer weights: one small kernel is shared by every position",
                   "Parameter sharing: k·k·C_in weights per filter instead of one weight per pixel per unit."),
               Opt("each output looks at a small neighbourhood, where nearby pixels belong together",
                   "Local connectivity (sparse interactions) matches images: edges and textures are local."),
               Opt("a pattern is detected wherever it appears, since a shifted input gives a shifted output",
                   "Translation equivariance, from applying the same kernel everywhere."),
               Opt("the same layer can run on images of different sizes",
                   "The weights do not depend on the height and width; a fully connected layer fixes its input size.")],
        wrong=[Opt("each output of the first layer sees the whole image", mistake="conv-global"),
               Opt("the output does not change when the image is rotated or rescaled",
                   "Convolution is equivariant to shifts only; rotations and scalings change the output."),
               Opt("stacked convolutions need no nonlinearity between them", mistake="conv-no-nonlinearity"),
               Opt("its output does not change at all when the image is shifted", mistake="conv-invariant")],
        options=5, n_right=(2, 4), group="fc"),
    Choice(
        "padding-same",
        "A $k \\times k$ convolution with stride 1 uses zero padding of $P = (k - 1)/2$ pixels on each side. "
        "What does the padding do?",
        right=[Opt("The output keeps the input's height and width, so the maps do not shrink.",
                   "(N − k + 2P)/1 + 1 = N − k + (k − 1) + 1 = N.")],
        wrong=[Opt("It adds weights for the border pixels, so the layer learns more about the edges of the image.",
                   mistake="padding-adds-information"),
               Opt("It halves the height and width of the output.",
                   "Halving is what stride 2 does; padding (k − 1)/2 with stride 1 keeps the size."),
               Opt("It makes the kernel's receptive field larger than $k \\times k$, by the padding on each side.",
                   "Each output still sees a k × k window; near the border part of it is zeros."),
               Opt("Nothing: the output size is the same with or without it.", mistake="padding-forgotten")],
        group="padding"),
    TrueFalse(
        "tf-no-pad-shrinks",
        "Without padding, a $3 \\times 3$ convolution with stride 1 keeps the height and width of its input.",
        False,
        "With P = 0 the output width is (N − 3)/1 + 1 = N − 2: the kernel fits only N − 2 times across, so "
        "each layer trims one pixel on each side. Padding P = 1 keeps N.",
        [(1, "output width (N − k + 2P)/S + 1 = N − 2"), (1, "padding P = 1 is needed to keep N")],
        mistake="padding-forgotten", group="padding"),
    Choice(
        "stride-2",
        "What does a stride of 2 do in a convolution layer?",
        right=[Opt("The kernel moves 2 pixels between neighbouring outputs.",
                   "Output width (N − k + 2P)/2 + 1, about N/2.")],
        wrong=[Opt("The kernel is $2 \\times 2$.", mistake="stride-is-kernel"),
               Opt("The output has twice the height and width of the input, an upsampling.",
                   "Moving the window further between outputs gives fewer outputs, not more."),
               Opt("Every second input channel is skipped, which halves the channels.",
                   "The stride is a step in space (height and width); each filter still uses every channel."),
               Opt("The kernel is applied twice at each position and the two results are added.",
                   "The kernel is applied once per output position; the stride sets how far apart the positions are.")]),
    Choice(
        "conv1x1-what",
        "What does a $1 \\times 1$ convolution with $C_{out}$ filters do to a feature map of size "
        "$C_{in} \\times H \\times W$?",
        right=[Opt("At each pixel it takes $C_{out}$ weighted sums of the $C_{in}$ channel values.",
                   "A fully connected layer across channels, shared by all pixels: C_in·C_out weights.")],
        wrong=[Opt("Nothing useful: it multiplies each value by one number.", mistake="conv1x1-identity"),
               Opt("It blurs each channel by averaging each pixel with its neighbouring pixels.", mistake="conv1x1-spatial"),
               Opt("It halves $H$ and $W$ and keeps the channels.", mistake="conv1x1-spatial"),
               Opt("It mixes neighbouring pixels within each channel but never mixes channels.",
                   "The reverse: a 1 × 1 window sees one pixel, and all C_in channels of it.")],
        group="1x1"),
    TrueFalse(
        "tf-1x1-linear",
        "A $1 \\times 1$ convolution with stride 1 computes the same result as one fully connected layer applied to the "
        "channel vector of every pixel.",
        True,
        "Each output pixel is W·x + b, with x the C_in channel values of that pixel and W the C_out × C_in "
        "weights, the same at every pixel: a shared fully connected layer over channels.",
        [(1, "each output pixel is W x + b over that pixel's C_in channel values"),
         (1, "the same W, b at every pixel (C_in·C_out weights)")],
        mistake="conv1x1-identity", group="1x1"),
    TrueFalse(
        "tf-1x1-reduce",
        "A $1 \\times 1$ convolution with 64 filters and stride 1 turns a $256 \\times H \\times W$ feature map into "
        "$64 \\times H \\times W$, without changing the height and width.",
        True,
        "Each of the 64 filters has 1·1·256 weights and gives one channel; the 1 × 1 window with stride 1 "
        "visits every pixel once, so H × W stays. This is how bottlenecks cut channels cheaply.",
        [(1, "64 filters give 64 output channels, each mixing the 256 input channels"),
         (1, "a 1 × 1 window with stride 1 keeps H × W")],
        mistake="conv1x1-spatial", group="1x1"),
    TrueFalse(
        "tf-two-3x3",
        "Two stacked $3 \\times 3$ convolution layers (stride 1) give each output a $5 \\times 5$ receptive "
        "field, with fewer weights than one $5 \\times 5$ layer ($C$ channels in and out).",
        True,
        "Receptive field 1 + 2·(3 − 1) = 5. Weights: 2·(3·3·C·C) = 18C² against 5·5·C·C = 25C², and "
        "there is a nonlinearity between the two layers.",
        [(1, "receptive field 1 + L(k − 1) = 5"), (1, "18C² < 25C² weights")],
        mistake="rf-sum-kernels", group="rf"),
    TrueFalse(
        "tf-params-size",
        "A convolution layer applied to a $224 \\times 224$ image has more weights than the same layer "
        "applied to a $32 \\times 32$ image.",
        False,
        "The layer has k·k·C_in·C_out weights and C_out biases, whatever the height and width: the kernels "
        "are shared by all positions. Only the output (and the work) grows with the image.",
        [(1, "weights k·k·C_in·C_out (+ C_out biases), no H or W in it"),
         (1, "parameter sharing: the same kernels at every position")],
        mistake="conv-params-depend-on-size", group="count"),
    Multi(
        "layer-counts",
        "A convolution layer has 64 filters of size $3 \\times 3$ on a 32-channel input. Which statements "
        "are right?",
        right=[Opt("It has $3 \\cdot 3 \\cdot 32 \\cdot 64 = 18{,}432$ weights.",
                   "Each filter spans all 32 channels: 288 weights, times 64 filters."),
               Opt("It has 64 biases.", "One bias per filter (output channel)."),
               Opt("Its output has 64 channels.", "One feature map per filter."),
               Opt("It has the same number of weights on a $32 \\times 32$ as on a $128 \\times 128$ input.",
                   "No H or W in k·k·C_in·C_out.")],
        wrong=[Opt("It has $3 \\cdot 3 \\cdot 64 = 576$ weights.", mistake="conv-kernel-one-channel"),
               Opt("Its number of weights grows with the input's height and width.",
                   mistake="conv-params-depend-on-size"),
               Opt("Its output has 32 channels, one per input channel.",
                   "The number of output channels is the number of filters, 64; each filter mixes all 32 inputs.")],
        options=5, n_right=(2, 4), group="count"),
    Short(
        "why-fewer",
        "A fully connected layer on a $224 \\times 224 \\times 3$ image needs far more weights than a "
        "convolution layer. Explain why, naming the two properties of convolution responsible.",
        "Local connectivity: each output depends only on a small k × k window (all channels), not on all "
        "224·224·3 inputs. Parameter sharing: the same kernel is used at every position, so the layer has "
        "k·k·C_in·C_out weights, independent of the image size, while the fully connected layer has "
        "224·224·3 weights per unit.",
        [(1, "local connectivity / sparse interactions: a k × k window"),
         (1, "parameter sharing: the same kernel at every position"),
         (1, "so k·k·C_in·C_out weights, no dependence on H × W")],
        difficulties=("medium", "hard"), group="fc"),
    Short(
        "rf-depth",
        "All kernels of a CNN are $3 \\times 3$ with stride 1. Why can outputs of the later layers respond "
        "to patterns much larger than $3 \\times 3$ pixels?",
        "Each layer looks at a 3 × 3 window of the previous feature map, whose values already summarize 3 × 3 "
        "windows below, so the receptive field grows by k − 1 = 2 per layer: 1 + 2L pixels after L layers. "
        "Deeper outputs see larger regions and can combine small parts into larger patterns.",
        [(1, "each layer's window covers outputs that themselves see windows of the input"),
         (1, "receptive field grows with depth: 1 + L(k − 1)"),
         (1, "later layers combine smaller features into larger patterns")],
        difficulties=("medium", "hard"), group="rf"),
    Short(
        "why-equivariant",
        "Explain why a convolution layer is translation equivariant, and say how equivariance differs "
        "from invariance.",
        "The same kernel is applied at every position, so a pattern shifted by d pixels meets the same weights "
        "d pixels further on and gives the same value there: the feature map shifts by d. Invariance would mean "
        "the output does not change at all; convolution's output moves with the input.",
        [(1, "parameter sharing: the same kernel at every position"),
         (1, "shifted input gives the same values at shifted positions"),
         (1, "invariance = output unchanged; equivariance = output shifted")],
        difficulties=("medium", "hard"), group="equiv"),
]

# 'why can outputs of later layers respond to patterns much larger than 3 × 3?' beside 'each output of a
# 3 × 3 convolution depends on every pixel'
REVEALS = [("tf-local", "rf-depth")]
POOL = Pool("convolution", ITEMS, REVEALS)
ConvolutionConcepts = concept_family("convolution-concepts", "Convolution: the ideas", POOL)
