"""Misconceptions about recurrent networks and LSTMs (deck: NLP — RNNs + LSTMs; Goodfellow et al.,
*Deep Learning*, ch. 10; Hochreiter & Schmidhuber 1997; Pascanu et al. 2013)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "bptt-w-once": Mistake(
        "thinks the recurrent weight enters ∂h_T/∂h_0 only once",
        "Each step contributes its own factor ∂h_t/∂hₜ₋₁ = w_h · tanh′(a_t), and the chain rule "
        "multiplies them: w_h appears once per step, T times in all."),
    "bptt-forgets-tanh": Mistake(
        "forgets the tanh′ factors in backpropagation through time",
        "h_t = tanh(a_t) with a_t = w_x x_t + w_h hₜ₋₁ + b, so ∂h_t/∂hₜ₋₁ = tanh′(a_t) · w_h: every "
        "step multiplies by the activation's derivative, which is at most 1."),
    "bptt-adds": Mistake(
        "thinks backpropagation through time adds the per-step factors instead of multiplying them",
        "The chain rule through a chain of steps multiplies the local derivatives: "
        "∂h_T/∂h_0 = Π_t ∂h_t/∂hₜ₋₁. A product of factors below 1 shrinks geometrically; above 1 it grows."),
    "tanh-bounds-gradient": Mistake(
        "thinks tanh keeps the gradient bounded, so it cannot explode",
        "tanh bounds the hidden state, not its gradient: each step multiplies the gradient by "
        "w_h · tanh′(a_t), and if |w_h| tanh′ > 1 step after step the product grows without bound."),
    "lstm-no-explode": Mistake(
        "thinks LSTMs remove exploding gradients too",
        "The additive cell path eases vanishing gradients; gradients can still explode, which is why "
        "gradient clipping is still used with LSTMs."),
    "forget-gate-inverted": Mistake(
        "thinks a forget gate near 1 erases the cell memory",
        "c_t = f_t ⊙ cₜ₋₁ + i_t ⊙ g_t: a forget gate of 1 keeps cₜ₋₁ whole, 0 erases it. The name "
        "is the opposite of what a value of 1 does."),
    "gates-tanh": Mistake(
        "thinks the gates use tanh",
        "The forget, input and output gates use the sigmoid, so each is between 0 and 1 and acts as a "
        "soft switch; only the candidate g_t (and the tanh(c_t) of the output) use tanh, in (−1, 1)."),
    "output-gate-writes": Mistake(
        "thinks the output gate decides what is written into the cell",
        "Writing is the input gate's job (i_t ⊙ g_t). The output gate decides how much of tanh(c_t) is "
        "shown as the hidden state h_t = o_t ⊙ tanh(c_t)."),
    "lstm-more-layers": Mistake(
        "thinks the LSTM eases vanishing gradients by having more layers or parameters",
        "The reason is the cell state's additive update c_t = f_t ⊙ cₜ₋₁ + i_t ⊙ g_t: along it the "
        "gradient is multiplied by f_t (near 1 when the gate keeps the memory), not by a weight matrix "
        "and a tanh′ at every step."),
    "params-grow-with-t": Mistake(
        "thinks an RNN has separate weights for each time step",
        "An RNN shares W_x, W_h and b across time: the same weights are applied at every step, so the "
        "number of parameters does not depend on the sequence length."),
    "shared-grad-last-step": Mistake(
        "thinks the gradient of a shared weight comes only from the last time step",
        "A weight used at every step gets a gradient contribution from every step: "
        "∂L/∂W_h = Σ_t (∂L/∂W_h at step t), the sum backpropagation through time computes."),
    "hidden-state-shared": Mistake(
        "confuses the hidden state with the shared parameters",
        "The hidden state h_t changes from step to step (it is the network's memory of the sequence so "
        "far); what stays the same across steps are the weights W_x, W_h and the bias b."),
}
