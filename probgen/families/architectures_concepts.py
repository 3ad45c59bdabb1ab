"""Modern vision networks, the ideas: residual learning and the 1 + F′ gradient path, bottleneck
blocks, depthwise-separable savings (drawn sizes), Vision Transformer vs CNN inductive bias, and
the deck's theme "Using pre-trained models that have learned from large datasets and adapting
them to new tasks": fine-tuning vs a frozen backbone, which layers to retrain."""

from __future__ import annotations

from ..kit.arch_items import ResidualGradient, SeparableSavings
from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse

ADAPT = "'Using pre-trained models that have learned from large datasets and adapting them to new tasks'"

ITEMS = [
    SeparableSavings(),
    ResidualGradient(),
    Choice(
        "residual-what",
        "A residual block computes $y = x + F(x)$, where $F$ is two convolution layers. What do the layers learn?",
        right=[Opt("The residual $F(x) = H(x) - x$, the change to add to the input.",
                   "The skip path carries x; the layers learn what to add. Near-zero weights give the identity.")],
        wrong=[Opt("The identity mapping, which the skip connection then adds to $x$ a second time.",
                   mistake="residual-learns-identity"),
               Opt("Nothing at test time: the skip connection bypasses them once training is over.",
                   mistake="skip-drops-layers"),
               Opt("The full mapping $H(x)$; the skip connection only speeds up the forward pass.",
                   "The block's output is x + F(x), so F learns H(x) − x; the point of the skip is the gradient "
                   "path and the easy identity, not speed."),
               Opt("A normalization of $x$ that replaces batch norm.",
                   "F is ordinary convolution layers (ResNet blocks still use batch norm inside F).")],
        group="residual"),
    TrueFalse(
        "tf-skip-product",
        "In a deep ResNet, the gradient reaching an early block is a product of the later blocks' $F'$ terms, "
        "so it vanishes as fast as in a plain network of the same depth.",
        False,
        "Each block contributes a factor 1 + F′(x), not F′(x) (deck: 'ResNet … (1 + F'(x))'). Expanding the "
        "product gives a term 1 · 1 · … · 1: the gradient reaches early blocks through the identity paths, "
        "'Gradient that would've otherwise vanished'.",
        [(1, "each block's factor is 1 + F′(x), not F′(x)"),
         (1, "the identity paths give a term that does not shrink with depth")],
        mistake="skip-vanish", group="residual-grad"),
    TrueFalse(
        "tf-zero-identity",
        "A residual block $y = x + F(x)$ whose layers' weights and biases are all zero outputs its input unchanged.",
        True,
        "With zero weights and biases F(x) = 0, so y = x: the identity costs the block nothing, which is why "
        "adding residual blocks need not hurt a deeper network.",
        [(1, "zero weights give F(x) = 0"), (1, "so y = x: the identity is free")],
        mistake="residual-learns-identity", group="residual"),
    Choice(
        "degradation",
        "A plain (no skip connections) 56-layer CNN has a higher **training** error than a plain 20-layer one. "
        "What explains this, and what fixes it?",
        right=[Opt("The deeper plain network is harder to optimize; residual blocks fix it.",
                   "The 56-layer net could copy the 20-layer one with identity layers, so its training error "
                   "should not be higher; that it is shows an optimization problem (He et al., 2016).")],
        wrong=[Opt("It overfits the training data; more dropout in every layer fixes it.", mistake="degradation-overfitting"),
               Opt("It has too few parameters; wider layers fix it.",
                   "It has more parameters than the 20-layer network, not fewer."),
               Opt("Its receptive field is too small for the images; larger kernels fix it.",
                   "56 layers see a larger region than 20; the receptive field is not the problem."),
               Opt("It needs a larger learning rate to reach the deep layers.",
                   "A larger rate does not repair vanishing gradients and makes training unstable.")],
        group="residual"),
    Choice(
        "bottleneck-why",
        "A ResNet bottleneck block runs a $1 \\times 1$ convolution (256 → 64 channels), a $3 \\times 3$ "
        "convolution (64 → 64), and a $1 \\times 1$ convolution (64 → 256). Why the $1 \\times 1$ layers?",
        right=[Opt("They shrink the channels so the $3 \\times 3$ layer runs on 64, then restore 256.",
                   "3·3·64·64 = 36,864 weights instead of 3·3·256·256 = 589,824; the two 1 × 1 layers add 2·16,384.")],
        wrong=[Opt("They widen the receptive field before and after the $3 \\times 3$ layer.",
                   mistake="bottleneck-receptive-field"),
               Opt("They add weights, so that the block can learn more than two plain $3 \\times 3$ layers could.",
                   mistake="bottleneck-more-weights"),
               Opt("They halve the height and width of the feature map, like a stride-2 pooling.",
                   "With stride 1 a 1 × 1 convolution keeps H × W; it changes only the channels."),
               Opt("They replace the nonlinearity between the layers.",
                   "A 1 × 1 convolution is linear; the block still has ReLUs between its layers.")],
        group="bottleneck"),
    TrueFalse(
        "tf-bottleneck-weights",
        "The bottleneck ($1 \\times 1$: 256 → 64, $3 \\times 3$: 64 → 64, $1 \\times 1$: 64 → 256) has fewer "
        "weights than a single $3 \\times 3$ convolution from 256 to 256 channels.",
        True,
        "256·64 + 3·3·64·64 + 64·256 = 16,384 + 36,864 + 16,384 = 69,632 weights, against 3·3·256·256 = "
        "589,824: about 8.5 times fewer, with two more nonlinearities.",
        [(1, "bottleneck: 16,384 + 36,864 + 16,384 = 69,632"), (1, "single 3 × 3: 589,824, so fewer")],
        mistake="bottleneck-more-weights", group="bottleneck"),
    Choice(
        "separable-parts",
        "A depthwise-separable convolution splits a standard $k \\times k$ convolution into which two steps?",
        right=[Opt("A depthwise $k \\times k$ convolution, one filter per channel, then a pointwise $1 \\times 1$ one.",
                   "Spatial and channel mixing are done separately: k·k·C_in + C_in·C_out weights.")],
        wrong=[Opt("A pointwise $1 \\times 1$ convolution per channel, then a $k \\times k$ convolution that mixes "
                   "the channels.", mistake="depthwise-mixes-channels"),
               Opt("Two $k \\times k$ convolutions with half the channels each, added together.",
                   "That is a grouped convolution with two groups, still k × k over channels; no pointwise step."),
               Opt("A $k \\times 1$ and a $1 \\times k$ convolution.",
                   "That is a spatially separable factorization; depthwise-separable separates space from channels."),
               Opt("A pooling layer followed by a fully connected layer.",
                   "Both steps are convolutions: depthwise k × k per channel and pointwise 1 × 1.")],
        group="separable"),
    TrueFalse(
        "tf-depthwise-mix",
        "In a depthwise convolution (one $k \\times k$ filter per input channel), each output channel depends on "
        "all the input channels.",
        False,
        "Each depthwise filter sees only its own input channel; the channels are mixed afterwards by the "
        "pointwise 1 × 1 convolution.",
        [(1, "each depthwise filter sees one channel only"), (1, "the pointwise 1 × 1 step mixes channels")],
        mistake="depthwise-mixes-channels", group="separable"),
    Choice(
        "vit-bias",
        "Compared with a CNN, which inductive bias is **not** built into a Vision Transformer (ViT)?",
        right=[Opt("Locality and translation equivariance: it must learn the spatial structure from data.",
                   "Only the cutting into patches (and the position embeddings) says anything about the image's "
                   "2-D layout; convolution builds locality and weight sharing over positions in.")],
        wrong=[Opt("Relations between distant parts of the image, which a ViT can only form in its last layers.",
                   mistake="vit-no-global"),
               Opt("Nothing: a ViT has the same locality bias as a CNN, only applied to patches instead of pixels.",
                   mistake="vit-local-bias"),
               Opt("Nonlinearity: a ViT is a linear model of the patches.",
                   "A ViT has softmax attention, MLPs with GELU and LayerNorm: it is nonlinear."),
               Opt("The use of learned weights: attention weights are fixed by the position embeddings.",
                   "Attention weights come from learned query and key projections of the patch embeddings.")],
        group="vit"),
    TrueFalse(
        "tf-vit-data",
        "Trained from scratch on a small dataset, a ViT usually does worse than a CNN of similar size, but with "
        "large-scale pre-training it matches or beats it.",
        True,
        "With less built-in inductive bias the ViT must learn locality from data: on small data it overfits, "
        "on large pre-training data (e.g. JFT-300M, ImageNet-21k) it catches up and overtakes (Dosovitskiy et al., 2021).",
        [(1, "ViT lacks the CNN's locality / equivariance bias"), (1, "so it needs more data (pre-training) to learn it")],
        mistake="vit-less-data", group="vit"),
    TrueFalse(
        "tf-vit-global",
        "In its first layer, a ViT patch, like an output of a $3 \\times 3$ convolution, can draw only on the "
        "patches next to it.",
        False,
        "Self-attention weighs all patches (the attention matrix is patches × patches); the convolution's "
        "receptive field is its kernel and grows only with depth.",
        [(1, "self-attention mixes all patches in every layer"), (1, "a 3 × 3 conv output depends on a 3 × 3 window")],
        mistake="vit-no-global", group="vit-global"),
    TrueFalse(
        "tf-vit-permute",
        "Without position embeddings, permuting a ViT's input patches just permutes its self-attention outputs "
        "the same way.",
        True,
        "Self-attention treats its inputs as a set: each output is a weighted sum over all inputs with weights "
        "from query–key products, none of which depends on the order. Position embeddings give the patches their place.",
        [(1, "attention is permutation equivariant: nothing depends on the order"),
         (1, "position embeddings are what tell the ViT where a patch is")],
        group="vit-global"),
    Choice(
        "adapt-small",
        f"The deck's theme is {ADAPT}. You have 500 labelled photos for a new 5-class task similar to "
        "ImageNet, and a CNN pre-trained on ImageNet. What is the best start?",
        right=[Opt("Freeze the pre-trained backbone and train a new 5-class output layer.",
                   "Little data, similar images: the pre-trained features fit, and training only the head has "
                   "few weights to fit, so it does not overfit.")],
        wrong=[Opt("Train the whole network from scratch on the 500 photos.", mistake="scratch-small-data"),
               Opt("Fine-tune every layer with the learning rate used to train from scratch.",
                   mistake="finetune-large-lr"),
               Opt("Keep the pre-trained 1000-class output layer and read off 5 of its classes.",
                   mistake="keep-old-head"),
               Opt("Retrain only the first convolution layer and keep the rest of the network frozen.",
                   mistake="early-layers-specific")],
        group="adapt"),
    Choice(
        "adapt-large-different",
        f"The deck's theme is {ADAPT}. You have 200,000 labelled X-ray images (quite unlike ImageNet photos) "
        "and a CNN pre-trained on ImageNet. What is usually best?",
        right=[Opt("Replace the output layer and fine-tune all (or most) layers with a small learning rate.",
                   "Plenty of data from another domain: the features should adapt, and the pre-trained weights "
                   "are still a better start than random ones.")],
        wrong=[Opt("Freeze every pre-trained layer and train only a new output layer on the X-ray features.", mistake="freeze-always"),
               Opt("Fine-tune all layers with a learning rate ten times the one used to train from scratch.",
                   mistake="finetune-large-lr"),
               Opt("Keep the ImageNet output layer; X-ray classes can be mapped onto ImageNet classes.",
                   mistake="keep-old-head"),
               Opt("Fine-tune only the first layers, where the task-specific features are, and freeze the rest.",
                   mistake="early-layers-specific")],
        group="adapt"),
    Multi(
        "finetune-practice",
        "You fine-tune a CNN pre-trained on ImageNet for a new task with a modest amount of data. Which are "
        "good practice?",
        right=[Opt("Replace the output layer with one output per new class.",
                   "The old head scores the old classes; the new task needs its own."),
               Opt("Keep the early layers frozen: their edge, colour and texture detectors are general.",
                   "General features transfer; the last layers are the task-specific ones (Yosinski et al., 2014)."),
               Opt("Use a smaller learning rate for the pre-trained layers than for the new head.",
                   "Small steps keep the pre-trained features while the new, random head learns."),
               Opt("Train the new head first, then unfreeze the last blocks and fine-tune them.",
                   "Gradients from a random head would disturb the pre-trained layers; training it first avoids that.")],
        wrong=[Opt("Re-initialize all weights at random before training.", mistake="scratch-small-data"),
               Opt("Retrain the first layers and freeze the last ones.", mistake="early-layers-specific"),
               Opt("Use a larger learning rate for the pre-trained layers than for the new head.",
                   mistake="finetune-large-lr"),
               Opt("Keep the 1000-class ImageNet output layer.", mistake="keep-old-head")],
        options=5, n_right=(2, 4), group="adapt-multi"),
    TrueFalse(
        "tf-frozen-updates",
        "When the backbone is frozen (`requires_grad = False` on its parameters) and only the new head is "
        "given to the optimizer, a training step still changes the backbone's parameters (its weights and biases).",
        False,
        "Frozen parameters get no gradient and are not in the optimizer: they stay exactly as pre-trained. "
        "Only the head's weights change.",
        [(1, "no gradient is computed for frozen parameters"), (1, "only the head's weights are updated")],
        mistake="frozen-still-updates", group="adapt-multi"),
    Short(
        "why-residual",
        "Use the deck's formulas to explain why skip connections let very deep networks train: compare "
        "$\\partial L/\\partial x$ for a plain block $y = F(x)$ and a ResNet block $y = x + F(x)$.",
        "Plain: ∂L/∂x = ∂L/∂y · F′(x); through many blocks the F′ factors multiply and the gradient vanishes. "
        "ResNet: ∂L/∂x = ∂L/∂y · (1 + F′(x)); the 1 from the identity passes ∂L/∂y through even when F′ is "
        "small, the 'Gradient that would've otherwise vanished'.",
        [(1, "plain: ∂L/∂y · F′(x), which vanishes over many layers"),
         (1, "ResNet: ∂L/∂y · (1 + F′(x))"),
         (1, "the identity's 1 keeps the gradient when F′ is small")],
        difficulties=("medium", "hard"), group="residual-grad"),
    Short(
        "frozen-vs-finetune",
        f"The deck's theme is {ADAPT}. Explain the difference between using a pre-trained network as a frozen "
        "feature extractor and fine-tuning it, and when you would choose each.",
        "Frozen: keep the pre-trained weights fixed and train only a new head on the features; for little data "
        "or data similar to the pre-training data (few weights to fit, no overfitting). Fine-tuning: also update "
        "some or all pre-trained layers with a small learning rate; for more data or a different domain, where "
        "the features must adapt.",
        [(1, "frozen: only a new head is trained on fixed features"),
         (1, "fine-tuning: pre-trained layers updated too, with a small learning rate"),
         (1, "frozen for little / similar data; fine-tune with more / different data")],
        difficulties=("medium", "hard"), group="adapt"),
    Short(
        "derive-separable-ratio",
        "Show that a depthwise-separable convolution ($k \\times k$ kernels, $C_{in}$ input and $C_{out}$ "
        "output channels) has $1/C_{out} + 1/k^2$ times the weights of the standard convolution.",
        "Standard: k²·C_in·C_out. Separable: depthwise k²·C_in + pointwise C_in·C_out. Ratio "
        "(k²·C_in + C_in·C_out)/(k²·C_in·C_out) = 1/C_out + 1/k².",
        [(1, "standard k²·C_in·C_out; depthwise k²·C_in; pointwise C_in·C_out"),
         (1, "dividing gives 1/C_out + 1/k²")],
        difficulties=("hard",), group="separable"),
]

POOL = Pool("architectures", ITEMS)
ArchitecturesConcepts = concept_family("architectures-concepts", "Modern vision networks: the ideas", POOL)
