"""Misconceptions about gradient descent and its variants (deck: Fundamentals → Optimization:
GD, SGD, mini-batch SGD, momentum, Adagrad, RMSProp, Adam, AdamW, schedules)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "gd-diverge-above-1a": Mistake(
        "thinks gradient descent diverges as soon as αa > 1",
        "w ← (1 − αa)w: for 1 < αa < 2 the factor 1 − αa lies in (−1, 0), so w flips sign each step "
        "but shrinks; it diverges only when |1 − αa| > 1, i.e. α > 2/a."),
    "gd-small-diverges": Mistake(
        "thinks a small learning rate makes gradient descent diverge",
        "A small α gives a factor 1 − αa just below 1: slow but steady convergence."),
    "gd-oscillate-diverges": Mistake(
        "thinks a sign-flipping iterate must be diverging",
        "With −1 < 1 − αa < 0 the iterate alternates in sign while its size shrinks by |1 − αa| each step."),
    "sgd-updates-n": Mistake(
        "counts one update per example for mini-batch SGD",
        "Mini-batch SGD averages the gradients of b examples into one update: n/b updates per epoch."),
    "sgd-updates-1": Mistake(
        "counts one update per epoch for mini-batch SGD",
        "One update per epoch is full-batch gradient descent; mini-batches of b give n/b updates."),
    "sgd-exact": Mistake(
        "thinks SGD with a constant learning rate settles exactly at the minimum",
        "One example's gradient is not zero at the minimum of the average loss, so constant-step SGD "
        "keeps bouncing around it: 'fast but noise ball convergence'."),
    "sgd-cost": Mistake(
        "thinks an SGD update costs as much as a full gradient-descent update",
        "GD's gradient averages over all n examples ('compute expensive'); an SGD update uses one (or b)."),
    "saddle-minimum": Mistake(
        "thinks a point with zero gradient must be a minimum",
        "At a saddle point the gradient is zero too, but the loss goes down along some direction."),
    "momentum-noise": Mistake(
        "thinks momentum helps by adding random noise",
        "Momentum accumulates past gradients in the velocity m (a moving average); the velocity carries "
        "the weights across flat regions and saddle points where the current gradient is tiny."),
    "adagrad-forgets": Mistake(
        "thinks Adagrad's accumulator forgets old gradients",
        "Adagrad's vₜ₊₁ = vₜ + gₜ² only grows, so α/√v only shrinks; after large early gradients "
        "the steps become tiny: it 'can end up stopping early if initial gradients high'."),
    "rmsprop-same": Mistake(
        "thinks RMSProp accumulates squared gradients the same way as Adagrad",
        "RMSProp keeps an exponentially decaying average v ← βv + (1 − β)g²: 'less weight to older "
        "gradients', so the step size can recover."),
    "bias-init": Mistake(
        "thinks bias correction fixes a badly chosen initial learning rate",
        "m and v start at 0, so their early moving averages are biased towards 0; dividing by "
        "1 − βᵗ removes that bias (at t = 1, m̂₁ = g₁ exactly)."),
    "bias-smaller": Mistake(
        "thinks that without bias correction Adam's first step would be smaller",
        "Uncorrected, m₁ = (1 − β₁)g and √v₁ = √(1 − β₂)|g|, so the first step is α(1 − β₁)/√(1 − β₂): "
        "larger than α for the default β's."),
    "adamw-same": Mistake(
        "thinks Adam with an L2 term and AdamW are the same algorithm",
        "Algorithm 2: Adam + L2 adds λθ to the gradient (line 6), so it is divided by √v̂ like the rest; "
        "AdamW subtracts ηλθ in the update (line 12), outside the adaptive scaling."),
    "adamw-scaled": Mistake(
        "thinks AdamW's weight decay is divided by √v̂",
        "AdamW's decay λθₜ₋₁ sits outside α m̂/(√v̂ + ε) in line 12: every weight decays at the "
        "same rate whatever its gradient history."),
    "schedule-increase": Mistake(
        "thinks a learning-rate schedule should make steps larger as training goes on",
        "Large steps early make fast progress; decaying the step later lets SGD settle closer to the "
        "minimum instead of bouncing in the noise ball."),
    "momentum-limit-alpha": Mistake(
        "thinks momentum's steps stay at αg when the gradient keeps its sign",
        "With a constant gradient, mₜ₊₁ = μmₜ − αg approaches −αg/(1 − μ): the steps grow by the "
        "factor 1/(1 − μ)."),
}
