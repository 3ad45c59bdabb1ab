"""Pooling, the ideas: why pooling, max vs average, invariance to small shifts, the gradient only
through the maximum (a drawn window), global average pooling, receptive fields with pooling.
A pool of choice, select-all, true/false-with-justification and short items."""

from __future__ import annotations

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from ..kit.conv_items import DrawnChoice


def _v(xs) -> str:
    return "$(" + ",\\ ".join(f"{x:g}" for x in xs) + ")$"


class MaxPoolGradient(DrawnChoice):
    """The gradient of a 2 × 2 max pool's output with respect to its window, from drawn values."""

    id = "maxpool-grad"
    group = "grad"

    def instance(self, draw):
        values = draw.sample((1, 2, 3, 4, 5, 6, 7, 8, 9), 4)
        return {"window": [v * draw.sign() if draw.coin() else v for v in values],
                "upstream": draw.choice((2, 3, 4, 6, 8, -4))}

    def prompt(self, inst):
        (a, b, c, d), g = inst["window"], inst["upstream"]
        return (f"A $2 \\times 2$ max-pooling window holds $x_1 = {a}$, $x_2 = {b}$ (top row) and $x_3 = {c}$, "
                f"$x_4 = {d}$ (bottom row). Backpropagation brings $\\partial L/\\partial y = {g}$ for its output "
                "$y$. What are $(\\partial L/\\partial x_1, \\ldots, \\partial L/\\partial x_4)$?")

    def options(self, inst):
        w, g = inst["window"], inst["upstream"]
        top, low = w.index(max(w)), w.index(min(w))
        at = lambda i: [g if j == i else 0 for j in range(4)]  # noqa: E731
        return [
            (_v(at(top)), f"y = max = x_{top + 1} = {max(w)}: ∂y/∂x_{top + 1} = 1 and 0 for the others, so only "
             f"x_{top + 1} gets ∂L/∂y = {g}.", None),
            (_v([g / 4] * 4), "", "pool-grad-spread"),
            (_v([g] * 4), "", "pool-grad-all"),
            (_v(at(low)), f"x_{low + 1} = {min(w)} is the smallest value; the output is the maximum, "
             f"x_{top + 1} = {max(w)}.", None),
        ]


ITEMS = [
    MaxPoolGradient(),
    Choice(
        "why-pool",
        "Why do CNNs put pooling layers (e.g. $2 \\times 2$ max pooling, stride 2) between convolution layers?",
        right=[Opt("To shrink the height and width, so later layers cost less.",
                   "Each 2 × 2 window becomes one value: H and W halve; a maximum that moves within its window "
                   "gives the same output.")],
        wrong=[Opt("To learn which pixels matter, through the pooling layer's own trained weights.", mistake="pool-has-weights"),
               Opt("To combine the channels into fewer feature maps.", mistake="pool-mixes-channels"),
               Opt("To make the network invariant to rotations of the image, by any angle.", mistake="pool-rotation"),
               Opt("To enlarge the feature maps before the classifier, so that it sees more detail.", mistake="pool-upsamples")],
        group="why"),
    TrueFalse(
        "tf-pool-params", "A max-pooling layer has weights that are learned by gradient descent.", False,
        "It takes the maximum of each window, a fixed rule: no weights or biases (PyTorch's MaxPool2d has no "
        "parameters). Only its window size and stride are chosen, by hand.",
        [(1, "max pooling is a fixed rule (maximum of each window)"), (1, "so it has no learnable parameters")],
        mistake="pool-has-weights", group="params"),
    TrueFalse(
        "tf-small-shift",
        "The output of a $2 \\times 2$ max pool (stride 2) is unchanged when each window's maximum moves to "
        "another position inside the same window.",
        True,
        "The maximum of a window does not depend on where in the window it sits, so the output is the same: "
        "invariance to small shifts.",
        [(1, "the output is the window's maximum, wherever it sits"), (1, "so small shifts within the window do not change it")],
        group="shift"),
    TrueFalse(
        "tf-any-shift",
        "Max pooling makes a CNN's output unchanged by any shift of the input image.",
        False,
        "Only shifts that keep each maximum inside its window leave the output unchanged; a shift that moves a "
        "maximum into the next window changes it.",
        [(1, "invariance only to small shifts within a window"), (1, "larger shifts move maxima across windows")],
        mistake="pool-fully-invariant", group="shift"),
    Choice(
        "max-vs-avg",
        "A feature map has one strong activation in a $2 \\times 2$ window and zeros elsewhere in it. What do "
        "max pooling and average pooling report for that window?",
        right=[Opt("Max pooling keeps the strong activation; average pooling reports a quarter.",
                   "max(a, 0, 0, 0) = a; mean = a/4: max pooling says 'the feature is present somewhere here'.")],
        wrong=[Opt("Both keep the strong activation, since it is the only nonzero value there.", mistake="pool-avg-keeps-peak"),
               Opt("Max pooling reports a quarter of it; average pooling keeps all of it.",
                   "The reverse: the mean divides by 4, the maximum keeps the largest value."),
               Opt("Both report zero, since three of the four values in the window are zero.",
                   "The maximum is the strong activation, and the mean a quarter of it: neither is 0."),
               Opt("Max pooling reports the sum of the window, and average pooling its mean.",
                   "That would be sum pooling; max pooling reports the largest value.")],
        group="maxavg"),
    TrueFalse(
        "tf-avg-quarter",
        "Backpropagation through a $2 \\times 2$ average pool gives each of the four inputs a quarter of the "
        "upstream gradient.",
        True,
        "y = (x_1 + x_2 + x_3 + x_4)/4, so ∂y/∂x_i = 1/4 and each input gets ∂L/∂y / 4.",
        [(1, "y is the mean of the four inputs"), (1, "∂y/∂x_i = 1/4 for each")],
        mistake="pool-grad-all", group="grad"),
    TrueFalse(
        "tf-grad-max",
        "Backpropagation through max pooling passes the upstream gradient only to the input that was the "
        "maximum of its window; the others get 0.",
        True,
        "y = max(x_1, …, x_4): a small change of a non-maximal input leaves y unchanged (∂y/∂x_i = 0), while "
        "the maximum changes y one-for-one (∂y/∂x = 1).",
        [(1, "∂max/∂x_i = 1 for the arg-max, 0 for the others"), (1, "so only the maximum's input receives ∂L/∂y")],
        mistake="pool-grad-spread", group="grad"),
    Choice(
        "pool-shape",
        "A $2 \\times 2$ max pool with stride 2 is applied to a feature map of $C \\times H \\times W$ "
        "($H$, $W$ even). What is the output's shape?",
        right=[Opt("$C \\times H/2 \\times W/2$", "Each channel is pooled on its own; each 2 × 2 window becomes one value.")],
        wrong=[Opt("$C/4 \\times H \\times W$", mistake="pool-mixes-channels"),
               Opt("$C/2 \\times H/2 \\times W/2$", mistake="pool-mixes-channels"),
               Opt("$C \\times 2H \\times 2W$", mistake="pool-upsamples"),
               Opt("$C \\times (H - 1) \\times (W - 1)$",
                   "That is stride 1; with stride 2 the windows do not overlap and H, W halve.")],
        group="shape"),
    Multi(
        "pool-facts",
        "Which statements about a $2 \\times 2$ max-pooling layer with stride 2 are right?",
        right=[Opt("It has no learnable parameters.", "A fixed rule: the maximum of each window."),
               Opt("It works on each channel separately.", "C channels in, C channels out."),
               Opt("It halves the height and width.", "Each non-overlapping 2 × 2 window becomes one value."),
               Opt("Its gradient goes only to each window's maximum.", "∂max/∂x_i is 1 for the arg-max, 0 otherwise.")],
        wrong=[Opt("It has $2 \\times 2$ weights per channel.", mistake="pool-has-weights"),
               Opt("It mixes the channels of each pixel.", mistake="pool-mixes-channels"),
               Opt("It spreads the gradient equally over each window.", mistake="pool-grad-spread"),
               Opt("It makes the network invariant to rotations.", mistake="pool-rotation")],
        options=5, n_right=(2, 4), group="params"),
    Choice(
        "global-avg",
        "Many CNNs (e.g. ResNet) end with global average pooling before the classifier. What does it do?",
        right=[Opt("It averages each channel's whole $H \\times W$ map to one number: a vector of length $C$.",
                   "C × H × W → C; no weights, and the head's input size no longer depends on H and W.")],
        wrong=[Opt("It averages the channels at each pixel, giving one $H \\times W$ map.", mistake="pool-mixes-channels"),
               Opt("It learns a weighted average of each map, with $H \\times W$ trained weights per channel.",
                   mistake="pool-has-weights"),
               Opt("It halves $H$ and $W$ like a $2 \\times 2$ pool.",
                   "Global pooling takes the whole map as one window: H × W becomes 1 × 1."),
               Opt("It averages the predictions of several networks trained on the same images.",
                   "It averages positions of one feature map, inside one network.")],
        group="gap"),
    TrueFalse(
        "tf-gap-size",
        "With global average pooling before its fully connected classifier, a CNN can classify images of "
        "different sizes with the same weights.",
        True,
        "Convolutions and pooling work for any H × W, and global average pooling turns any C × H × W map into a "
        "length-C vector, so the classifier always gets C inputs.",
        [(1, "global average pooling gives a length-C vector for any H × W"),
         (1, "so the classifier's input size is fixed; the convolutions run on any size")],
        group="gap"),
    TrueFalse(
        "tf-rf-pool",
        "After a $3 \\times 3$ convolution, a $2 \\times 2$ max pool (stride 2) and another $3 \\times 3$ "
        "convolution (all convolutions stride 1), one output depends on a $6 \\times 6$ region of the input, "
        "since each layer adds $k - 1$ pixels.",
        False,
        "Each layer adds (k − 1) times the product of the earlier strides: 1 + 2·1 + 1·1 + 2·2 = 8, an 8 × 8 "
        "region. After the stride-2 pool each step of the second convolution covers 2 input pixels.",
        [(1, "each layer adds (k − 1) times the product of the earlier strides"),
         (1, "1 + 2 + 1 + 4 = 8, not 6")],
        mistake="rf-ignores-stride", group="rf"),
    Short(
        "why-pool-short",
        "Give two reasons for max pooling between convolution layers.",
        "It halves the height and width, so later layers cost less and their receptive fields grow faster; "
        "and its output does not change when a feature moves a little inside its window, so the network is "
        "robust to small shifts. It adds no weights.",
        [(1, "downsampling: less computation, faster-growing receptive field"),
         (1, "invariance to small shifts within a window")],
        difficulties=("medium", "hard"), group="why"),
    Short(
        "derive-max-grad",
        "For $y = \\max(x_1, x_2, x_3, x_4)$ with a unique maximum $x_m$, show what $\\partial L/\\partial x_i$ is "
        "for each $i$, given $\\partial L/\\partial y$.",
        "Near the input, y = x_m: a small change of x_m changes y equally (∂y/∂x_m = 1), and a small change of "
        "any other x_i leaves the maximum unchanged (∂y/∂x_i = 0). So ∂L/∂x_m = ∂L/∂y and ∂L/∂x_i = 0 for i ≠ m.",
        [(1, "∂y/∂x_m = 1 for the maximum, 0 for the others"),
         (1, "chain rule: ∂L/∂x_m = ∂L/∂y, the rest 0")],
        difficulties=("medium", "hard"), group="grad"),
]

POOL = Pool("pooling", ITEMS)
PoolingConcepts = concept_family("pooling-concepts", "Pooling: the ideas", POOL)
