"""Misconceptions about modern vision networks: residual blocks, bottlenecks, depthwise-separable
convolutions, Vision Transformers, and adapting pre-trained models (deck: Modern Vision Networks;
Skip Connections, ResNet; "Using pre-trained models that have learned from large datasets and
adapting them to new tasks")."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "skip-vanish": Mistake(
        "thinks the gradient through a residual block vanishes whenever F′ is small",
        "The deck: plain ∂L/∂x = ∂L/∂y · F′(x), ResNet ∂L/∂x = ∂L/∂y · (1 + F′(x)). The identity path's 1 "
        "carries the 'Gradient that would've otherwise vanished'."),
    "skip-drops-layers": Mistake(
        "thinks a skip connection bypasses the block's layers, so they are not used",
        "A residual block outputs x + F(x): the layers compute F(x) and their output is added to the "
        "input; nothing is skipped in the forward pass, the identity path is added alongside."),
    "residual-learns-identity": Mistake(
        "thinks a residual block must learn the identity mapping in its weights",
        "The identity is the skip path itself; the layers only learn the residual F(x) = H(x) − x. To be "
        "the identity the block just drives F to 0, which is easy (weights near 0)."),
    "degradation-overfitting": Mistake(
        "thinks a deeper plain network does worse only because it overfits",
        "Overfitting lowers the training error and raises the test error. A deeper plain network has a "
        "higher training error: it is harder to optimize, which residual connections fix."),
    "bottleneck-receptive-field": Mistake(
        "thinks the 1 × 1 layers of a bottleneck block widen the receptive field",
        "A 1 × 1 convolution sees one pixel: it only mixes channels. The bottleneck's 1 × 1 layers reduce "
        "and then restore the number of channels around the 3 × 3 layer, to save weights and work."),
    "bottleneck-more-weights": Mistake(
        "thinks the bottleneck's extra layers add weights compared with full-width 3 × 3 layers",
        "The 3 × 3 layer, the expensive one, runs on C/4 channels: its weights drop 16-fold, far more "
        "than the two cheap 1 × 1 layers add."),
    "depthwise-mixes-channels": Mistake(
        "thinks a depthwise convolution mixes the channels",
        "Depthwise: one k × k filter per input channel, each seeing only its own channel. The channels "
        "are mixed by the pointwise (1 × 1) convolution that follows."),
    "separable-forgets-pointwise": Mistake(
        "counts only the depthwise step of a depthwise-separable convolution",
        "A depthwise-separable convolution has two steps: depthwise k·k·C_in weights and pointwise "
        "1 × 1 C_in·C_out weights. The pointwise step is usually the larger part."),
    "separable-depthwise-full": Mistake(
        "gives each depthwise filter all input channels",
        "In the depthwise step each of the C_in filters is k × k × 1: it sees its own channel only, so "
        "the step has k·k·C_in weights, not k·k·C_in·C_in."),
    "separable-same-cost": Mistake(
        "thinks a depthwise-separable convolution costs as much as a standard one",
        "Standard: k·k·C_in·C_out. Separable: k·k·C_in + C_in·C_out, a ratio of 1/C_out + 1/k² "
        "(about 8–9 times fewer for 3 × 3 kernels and many channels)."),
    "vit-local-bias": Mistake(
        "thinks a Vision Transformer has the locality and translation equivariance of a CNN built in",
        "A ViT cuts the image into patches and lets every patch attend to every other one from the first "
        "layer; locality and equivariance are not built in (only the patching), so it must learn them "
        "from data, which takes more data or pre-training."),
    "vit-no-global": Mistake(
        "thinks a Vision Transformer can only relate neighbouring patches in its first layers",
        "Self-attention compares every patch with every other patch in every layer: distant patches "
        "interact from the first layer on, unlike a CNN's growing receptive field."),
    "vit-less-data": Mistake(
        "thinks a Vision Transformer needs less data than a CNN because it has less inductive bias",
        "Less built-in bias means more has to be learned from data: trained from scratch on a small "
        "dataset a ViT usually does worse than a CNN; with large-scale pre-training it matches or beats it."),
    "scratch-small-data": Mistake(
        "thinks training from scratch is the best choice with a small labelled dataset",
        "With few examples a large network trained from scratch overfits. 'Using pre-trained models that "
        "have learned from large datasets and adapting them to new tasks' reuses features learned from "
        "millions of images."),
    "finetune-large-lr": Mistake(
        "thinks fine-tuning should use a learning rate as large as (or larger than) training from scratch",
        "Large steps would destroy the pre-trained features; fine-tuning starts from good weights and uses "
        "a small learning rate (often smaller for the pre-trained layers than for the new head)."),
    "freeze-always": Mistake(
        "thinks a frozen backbone is always best, whatever the amount and kind of new data",
        "With plenty of data from a different domain, fine-tuning more (or all) of the layers adapts the "
        "features to the new images; a frozen backbone keeps features made for the old task."),
    "keep-old-head": Mistake(
        "thinks the pre-trained output layer can be reused for the new task's classes",
        "The old output layer scores the old classes (e.g. ImageNet's 1000); the new task needs a new "
        "output layer with one output per new class, trained on the new data."),
    "frozen-still-updates": Mistake(
        "thinks the frozen layers still change during training",
        "Frozen parameters get no gradient (requires_grad = False) and are not given to the optimizer: "
        "they stay exactly as pre-trained; only the unfrozen layers (the head) change."),
    "early-layers-specific": Mistake(
        "thinks the first layers of a CNN hold the task-specific features",
        "The first layers learn general features (edges, colour blobs, textures) that transfer between "
        "tasks; the last layers are the most specific to the original task, so they are retrained first."),
}
