"""Misconceptions about pooling layers (deck: CNNs, "Convolution … Pooling" in the high-level
structure; Goodfellow et al., *Deep Learning*, §9.3 Pooling)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "pool-has-weights": Mistake(
        "thinks a pooling layer has weights that are learned",
        "Max and average pooling apply a fixed rule (the maximum or the mean of each window): no "
        "weights, no biases, nothing to learn."),
    "pool-mixes-channels": Mistake(
        "thinks pooling combines the channels",
        "Pooling works on each channel separately: C channels in, C channels out; only the height and "
        "width shrink (by 2 for a 2 × 2 window with stride 2)."),
    "pool-fully-invariant": Mistake(
        "thinks max pooling makes the output unchanged by any shift of the input",
        "Max pooling gives invariance only to small shifts that keep the maximum inside its window; a "
        "larger shift moves it into another window and the output changes."),
    "pool-grad-spread": Mistake(
        "thinks max pooling spreads the gradient evenly over the window, like average pooling",
        "The maximum depends only on the largest input: ∂max/∂x_i is 1 for the arg-max and 0 for the "
        "others, so only the maximum's position receives the upstream gradient. Spreading it equally "
        "(g/4 each for 2 × 2) is average pooling's gradient."),
    "pool-grad-all": Mistake(
        "thinks every input of the window receives the whole upstream gradient",
        "Changing a non-maximal input a little does not change the maximum, so its gradient is 0; only "
        "the arg-max passes the upstream gradient on."),
    "pool-avg-keeps-peak": Mistake(
        "thinks average pooling keeps a single strong activation as well as max pooling",
        "Average pooling divides by the window size: one strong response among zeros in a 2 × 2 window "
        "comes out a quarter as strong. Max pooling keeps it whole."),
    "pool-upsamples": Mistake(
        "thinks pooling with stride 2 enlarges the feature map",
        "A 2 × 2 pool with stride 2 summarizes each window by one number: the height and width halve."),
    "rf-ignores-stride": Mistake(
        "adds k − 1 per layer to the receptive field, ignoring the stride of an earlier pooling layer",
        "After a stride-2 pool, neighbouring values of the feature map are 2 input pixels apart, so a later "
        "k × k layer adds (k − 1)·2 pixels: each layer adds (k − 1) times the product of the earlier strides."),
    "pool-rotation": Mistake(
        "thinks pooling makes a CNN invariant to rotations",
        "Pooling gives some invariance to small shifts within a window; rotations change which values "
        "fall into which window and how the features respond."),
}
