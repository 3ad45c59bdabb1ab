"""Multi-head attention bookkeeping: head size, tensor shapes and parameter counts.

The layer is torch.nn.MultiheadAttention's: Q, K and V projections to d_model (split into h heads
of d_k = d_model / h) and an output projection d_model -> d_model, each with a bias. Easy
instances feed one unbatched sequence; medium a batch; hard a batch through cross-attention
(keys and values from an encoder of another width and length)."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, shape_part

# (d_model, heads) pairs whose head size is a whole, familiar number.
MODEL_SIZES = {
    "easy": ((64, 4), (64, 2), (128, 4), (256, 4), (96, 3), (120, 5), (32, 2), (32, 4), (48, 3), (80, 5),
             (128, 8), (160, 4), (192, 3), (144, 4), (320, 8), (96, 4), (96, 6), (128, 2), (192, 4), (192, 6),
             (256, 8), (160, 8), (48, 4), (200, 5), (72, 3), (240, 4), (112, 4), (224, 7)),
    "medium": ((256, 8), (512, 8), (384, 6), (768, 12), (320, 5), (192, 6), (256, 4), (512, 16), (384, 12),
               (768, 8), (512, 4), (640, 8), (1024, 16)),
    "hard": ((512, 8), (768, 12), (1024, 16), (384, 6), (640, 10), (256, 8)),
}
BATCHES = (2, 4, 8, 16, 32)
TARGET_LENGTHS = (5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 20, 24, 32, 50, 64)
SOURCE_LENGTHS = (7, 15, 25, 30, 40)  # never equal to a target length
ENCODER_WIDTHS = {256: (128, 512), 384: (256, 768), 512: (256, 1024), 640: (320, 1280),
                  768: (384, 1024), 1024: (512, 768)}

# The × between a shape's sizes in the worked solution is notation, not arithmetic: the work model
# counts a shape part's sizes (one small-integer step each), as before the shapes were written 2 × 9 × 512.
READ_SHAPE = {"arith": 0}


@family
class MultiheadShapes(Family):
    id = "multihead-shapes"
    section = "nlp"
    topic = "transformers"
    title = "Multi-head attention: shapes and parameter counts"
    version = 2  # 2: more (d_model, h) pairs and lengths (issue 10: 300+ distinct per 1,000 seeds)

    def generate(self, draw, difficulty, convention):
        d_model, heads = draw.choice(MODEL_SIZES[difficulty])
        # Every axis a different number, so a shape answer shows which axis went where.
        used = {heads, d_model // heads, d_model}
        seq_len = draw.choice([n for n in TARGET_LENGTHS if n not in used])
        used.add(seq_len)
        params = {"seq_len": seq_len, "d_model": d_model, "heads": heads}
        if difficulty != "easy":
            params["batch"] = draw.choice([n for n in BATCHES if n not in used])
            used.add(params["batch"])
        if difficulty == "hard":
            params["src_len"] = draw.choice([n for n in SOURCE_LENGTHS if n not in used])
            params["d_enc"] = draw.choice(ENCODER_WIDTHS[d_model])
        return params

    def solve(self, params):
        T, d, h = params["seq_len"], params["d_model"], params["heads"]
        S = params.get("src_len", T)
        lead = [params["batch"]] if "batch" in params else []  # the batch axis, if any
        dk = d // h
        self_attention = 4 * d * d + 4 * d
        parts = [
            number_part("a", dk, 1, tolerance=0, mistakes={
                "multiplied d_model by h instead of dividing": d * h,
            }),
            shape_part("b", lead + [h, T, dk], 2, ops=READ_SHAPE, mistakes={
                "kept the head axis after the sequence axis (forgot the transpose)": lead + [T, h, dk],
                "gave each head the full d_model width": lead + [h, T, d],
            }),
        ]
        if "d_enc" not in params:
            parts.append(number_part("c", self_attention, 2, tolerance=0, mistakes={
                "left out the biases": 4 * d * d,
                "left out the output projection": 3 * d * d + 3 * d,
                "gave every head its own d_model × d_model projections": h * 3 * (d * d + d) + d * d + d,
            }))
        else:
            de = params["d_enc"]
            cross = (d * d + d) + 2 * (de * d + d) + (d * d + d)
            parts.append(number_part("c", cross, 3, tolerance=0, mistakes={
                "used d_model as the key/value input width": self_attention,
                "left out the biases": 2 * d * d + 2 * d * de,
                "projected K and V to the encoder width": (d * d + d) + 2 * (de * de + de) + (d * d + d),
            }))
        scores = {
            "gave the scores the head size as last axis": lead + [h, T, dk],
            "left out the head axis": lead + [T, S],
        }
        if S != T:
            scores["used the query length for the keys as well"] = lead + [h, T, T]
        parts.append(shape_part("d", lead + [h, T, S], 2, ops=READ_SHAPE, mistakes=scores))
        output = {"kept the heads separate (forgot to concatenate)": lead + [h, T, dk]}
        if S != T:
            output["gave the output the length of the keys"] = lead + [S, d]
        parts.append(shape_part("e", lead + [T, d], 1, ops=READ_SHAPE, mistakes=output))
        if "src_len" in params:
            B = params["batch"]
            parts.append(number_part("f", B * h * T * S, 2, tolerance=0, mistakes={
                "left out the heads": B * T * S,
                "used T × T scores": B * h * T * T,
            }))
        work = {"dk": dk, "self_attention": self_attention, "lead": lead, "S": S}
        return Solution(parts=parts, work=work)
