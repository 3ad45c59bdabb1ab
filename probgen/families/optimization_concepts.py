"""Optimization, the ideas: learning rate too large or too small (w ← (1 − αa)w with drawn α),
GD vs SGD vs mini-batch, saddle points and momentum, Adagrad stalling and RMSProp's fix, Adam's
bias correction, Adam + L2 vs AdamW (the deck's Algorithm 2), schedules."""

from __future__ import annotations

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from ..kit.figure_items import LRCurves
from ..kit.optim_items import AdamNoBias, GDBehaviour, GDDiverge, MomentumLimit, UpdatesPerEpoch

ITEMS = [
    GDDiverge(),
    LRCurves(),
    GDBehaviour(),
    UpdatesPerEpoch(),
    MomentumLimit(),
    AdamNoBias(),
    Choice(
        "noise-ball",
        "SGD with a constant learning rate gets close to a minimum quickly but then keeps wandering around "
        "it (the deck's 'fast but noise ball convergence'). Why?",
        right=[Opt("Each step uses one example's gradient, which is not zero at the minimum of the average loss.",
                   "At the minimum ∇L = (1/n)Σ∇ℓᵢ = 0, but a single ∇ℓᵢ is not 0: each step kicks the weights.")],
        wrong=[Opt("The learning rate grows as training goes on.", "Nothing in plain SGD changes α."),
               Opt("SGD settles exactly at the minimum; the wandering seen in practice is floating-point rounding error.", mistake="sgd-exact"),
               Opt("Each SGD step costs as much as a full gradient step, so it runs out of time before it can settle.", mistake="sgd-cost"),
               Opt("Momentum makes it overshoot.", "Plain SGD has no momentum term; the noise comes from sampling.")], group="sgd"),
    Choice(
        "saddle-momentum",
        "Plain (mini-batch) SGD 'without momentum can get stuck in a saddle point'. How does momentum help?",
        right=[Opt("The velocity $m$ averages past gradients, so the weights keep moving where the gradient is nearly zero.",
                   "mₜ₊₁ = μmₜ − α∇: near the saddle ∇ ≈ 0 but μmₜ carries the earlier motion on.")],
        wrong=[Opt("It adds random noise to the gradient at every step, which kicks the weights off the saddle point.", mistake="momentum-noise"),
               Opt("It recognises that the saddle point is a minimum, and stops there instead of wandering around it.", mistake="saddle-minimum"),
               Opt("It scales each weight's step by its squared-gradient history.",
                   "That is Adagrad/RMSProp ('Element wise control'), not momentum."),
               Opt("It increases the learning rate at every step, until the weights leave the saddle.", "μ and α are fixed; the velocity, not α, grows.")], group="momentum"),
    Choice(
        "adagrad-stall",
        "Adagrad updates $v_{t+1} = v_t + g_t^2$ and $w_{t+1} = w_t - \\alpha/\\sqrt{v_{t+1} + \\epsilon} \\odot g_t$. "
        "Why can it 'end up stopping early if initial gradients high'?",
        right=[Opt("$v$ only grows: after large early gradients, the step $\\alpha/\\sqrt{v}$ stays tiny for good.",
                   "v is a running sum of g², never decayed.")],
        wrong=[Opt("$v$ forgets old gradients, so the steps become erratic and training stops making progress.", mistake="adagrad-forgets"),
               Opt("The learning rate $\\alpha$ is decayed by a schedule.", "Adagrad's α is constant; the shrinking comes from v."),
               Opt("High gradients make the update diverge.", "Dividing by √v makes big gradients give moderate steps, not divergence."),
               Opt("It uses the same step size for every weight, set by the largest early gradient.", "It is 'Element wise control': each weight has its own v.")], group="adagrad"),
    Choice(
        "rmsprop-fix",
        "How does RMSProp fix Adagrad's stalling?",
        right=[Opt("It replaces the running sum by an exponentially decaying average of $g_t^2$, so old gradients fade.",
                   "The deck: 'exponential decay moving average, less weight to older gradients'.")],
        wrong=[Opt("It accumulates $v_{t+1} = v_t + g_t^2$ exactly like Adagrad, but with a larger learning rate $\\alpha$ to make up for it.", mistake="rmsprop-same"),
               Opt("It adds momentum to the gradient.", "Adding momentum on top of RMSProp's v is Adam."),
               Opt("It removes the square root from the denominator, so the steps shrink more slowly as $v$ grows.", "RMSProp divides by √(v + ε) as Adagrad does."),
               Opt("It resets $v$ to zero every epoch.", "Nothing is reset; old squared gradients fade geometrically.")], group="adagrad"),
    Choice(
        "bias-correction",
        "Adam keeps $m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t$ with $m_0 = 0$ and uses $\\hat m_t = m_t/(1-\\beta_1^t)$. "
        "Why divide by $1 - \\beta_1^t$?",
        right=[Opt("Because $m$ starts at 0, its early averages are biased towards 0.",
                   "m_t is a weighted average whose weights sum to 1 − β₁ᵗ, not 1.")],
        wrong=[Opt("To make the learning rate decay over time.", "1 − β₁ᵗ → 1: the correction fades out; it is not a schedule."),
               Opt("To fix a badly chosen initial learning rate by rescaling the first few steps.", mistake="bias-init"),
               Opt("To keep the denominator $\\sqrt{\\hat v_t} + \\epsilon$ from being zero at the start.", "That is ε's job."),
               Opt("To add weight decay to the update.", "Weight decay is λθ in Algorithm 2 (line 6 or 12), not the correction.")], group="bias"),
    Choice(
        "adamw-where",
        "In the deck's Algorithm 2, Adam with L2 regularization adds $\\lambda\\theta_{t-1}$ to the gradient "
        "(line 6: $g_t \\leftarrow \\nabla f_t(\\theta_{t-1}) + \\lambda\\theta_{t-1}$). Where does AdamW put it instead?",
        right=[Opt("In the update (line 12), outside the adaptive scaling.",
                   "Decoupled weight decay: every weight shrinks at the rate ηλ whatever its gradient history.")],
        wrong=[Opt("In the gradient (line 6), exactly as Adam with L2 does it.", mistake="adamw-same"),
               Opt("Inside $\\hat m_t$, so that it is divided by $\\sqrt{\\hat v_t}$ like the gradient.", mistake="adamw-scaled"),
               Opt("In the second moment $v_t$ only.", "λθ appears in no moment estimate in AdamW."),
               Opt("Nowhere: AdamW has no weight decay; the W stands for warm restarts.", "The W in AdamW is decoupled weight decay.")], group="adamw"),
    Choice(
        "schedule",
        "Algorithm 2 multiplies each step by a schedule $\\eta_t$ ('can be fixed, decay, or also be used for warm "
        "restarts'). Why decay the learning rate during training?",
        right=[Opt("Large early steps make fast progress; smaller later steps settle near the minimum.", "Decay shrinks SGD's noise ball as training converges.")],
        wrong=[Opt("Steps should grow as training goes on, to escape the minimum once the loss has stopped falling.", mistake="schedule-increase"),
               Opt("To undo Adam's bias correction.", "The bias correction fades by itself (1 − βᵗ → 1)."),
               Opt("Because the gradient gets larger near the minimum, so the same step would overshoot.", "Near a minimum the gradient gets smaller, not larger."),
               Opt("To keep every weight's step the same size.", "All weights share ηₜ; per-weight sizes are Adam's √v̂.")],
    ),
    Multi(
        "sgd-vs-gd",
        "Compared with full-batch gradient descent on $n$ examples, SGD with one example per update:",
        right=[Opt("costs about $1/n$ of a GD update per update", "GD's gradient is an average over all n examples ('compute expensive')."),
               Opt("makes $n$ updates per epoch instead of 1", "One update per example."),
               Opt("takes noisier steps", "One example's gradient is a noisy estimate of ∇L ('noise ball').")],
        wrong=[Opt("computes the exact gradient of the training loss", "Only GD does; SGD estimates it from one sample."),
               Opt("settles exactly at the minimum with a constant learning rate", mistake="sgd-exact"),
               Opt("costs the same per update as GD", mistake="sgd-cost")],
        options=4, n_right=(1, 3), group="sgd"),
    TrueFalse("tf-saddle-grad", "At a saddle point the gradient of the loss is zero.", True,
              "A saddle point is a stationary point (∇L = 0) that is neither a minimum nor a maximum: the loss "
              "rises along some directions and falls along others. That is why plain GD can stall there.",
              [(1, "∇L = 0 at a saddle (stationary point)"), (1, "but not a minimum: the loss falls along some direction")],
              mistake="saddle-minimum", group="momentum"),
    TrueFalse("tf-adagrad-monotone", "In Adagrad, each weight's effective learning rate $\\alpha/\\sqrt{v_t + \\epsilon}$ can "
              "only decrease (or stay the same) during training.", True,
              "vₜ₊₁ = vₜ + gₜ² never decreases, so α/√(v + ε) never increases.",
              [(1, "v is a running sum of squares, never decreasing"), (1, "so α/√v never increases")],
              mistake="adagrad-forgets", group="adagrad"),
    TrueFalse("tf-adamw-scaled", "In AdamW, the weight-decay term $\\lambda\\theta$ is divided by $\\sqrt{\\hat v_t}$ like the gradient.",
              False,
              "Line 12 subtracts ηₜλθₜ₋₁ outside α m̂/(√v̂ + ε): the decay is decoupled from the adaptive "
              "scaling. It is Adam + L2 (line 6) whose λθ gets divided by √v̂.",
              [(1, "AdamW's decay is outside the √v̂ scaling (line 12)"), (1, "Adam + L2's term is inside (line 6)")],
              mistake="adamw-scaled", group="adamw"),
    TrueFalse("tf-minibatch-n", "Mini-batch SGD with batch size $b = n$ (the whole training set) still takes noisier steps "
              "than full-batch gradient descent.", False, "With b = n the mini-batch average (1/b)Σ∇ℓ is the full gradient ∇L, one update per epoch.",
              [(1, "the batch average is the full gradient"), (1, "one update per epoch, as GD")], group="sgd"),
    TrueFalse("tf-small-lr-diverge", "On $L(w) = (a/2)\\, w^2$, gradient descent with a learning rate that is too small "
              "diverges.", False,
              "With 0 < α < 1/a the factor 1 − αa lies in (0, 1), close to 1 for a small α: w shrinks every step, slowly. Too small is slow, "
              "too large (α > 2/a) diverges.",
              [(1, "small α: factor 1 − αa in (0, 1), slow convergence"), (1, "divergence needs α > 2/a")],
              mistake="gd-small-diverges", group="gd-lr"),
    Short("why-bias-correction", "Why does Adam need bias correction? Say what goes wrong without it at the first steps.",
          "m and v start at 0, so the moving averages m_t, v_t are biased towards 0 early on (their weights sum to "
          "1 − βᵗ). Without the correction the first steps are mis-scaled: m₁ = (1 − β₁)g₁ and v₁ = (1 − β₂)g₁², so "
          "the first step is α(1 − β₁)/√(1 − β₂), about 3.2α for the default β's, instead of α. Dividing by "
          "1 − β₁ᵗ and 1 − β₂ᵗ removes the bias; at t = 1 it gives m̂₁ = g₁, v̂₁ = g₁².",
          [(1, "m₀ = v₀ = 0, so early m_t, v_t are biased towards 0 and the first steps are mis-scaled"),
           (1, "divide by 1 − βᵗ to unbias (m̂₁ = g₁)")],
          difficulties=("medium", "hard"), group="bias"),
    Short("adam-l2-vs-adamw", "Explain the difference between Adam with L2 regularization and AdamW in the deck's Algorithm 2.",
          "Adam + L2 adds λθ to the gradient (line 6), so the decay is divided by √v̂ like the gradient: weights with "
          "large gradient history are decayed less. AdamW subtracts ηₜλθ in the update (line 12), outside the "
          "adaptive scaling: every weight decays at the same rate.",
          [(1, "Adam + L2: λθ in the gradient (line 6), scaled by 1/√v̂"), (1, "AdamW: λθ in the update (line 12), not scaled"),
           (1, "consequence: uneven vs uniform decay across weights")],
          difficulties=("medium", "hard"), group="adamw"),
    Short("adagrad-rmsprop", "Why can Adagrad stop too early, and how does RMSProp avoid it?",
          "Adagrad's v sums all squared gradients, so after large early gradients α/√v stays tiny and learning "
          "stalls. RMSProp uses v ← βv + (1 − β)g², an exponentially decaying average that gives less weight to "
          "old gradients, so the step size can recover.",
          [(1, "Adagrad's sum only grows: steps shrink for good"), (1, "RMSProp's decaying average forgets old gradients")],
          difficulties=("hard",), group="adagrad"),
]

POOL = Pool("optimization", ITEMS)
OptimizationConcepts = concept_family("optimization-concepts", "Optimization: the ideas", POOL)
