"""Vision Transformer input: patch count, sequence length with [CLS], embedding parameters."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, shape_part

PATCHES = (4, 8, 14, 16, 32)
WIDTHS = (64, 128, 192, 256, 384, 512, 768)


@family
class VitPatches(Family):
    id = "vit-patches"
    section = "vision"
    topic = "architectures"
    title = "ViT patches and embeddings"
    version = 2  # 2: easy images grey or colour, square or not (issue 10: 300+ distinct per 1,000 seeds)

    def generate(self, draw, difficulty, convention):
        p = draw.choice(PATCHES)
        top = max(2, min(16, 384 // p))  # image sides up to 384 pixels
        n_h = draw.integer(2 if p == 32 else 3, top)
        # Hard images are never square, medium ones always; easy ones are either (half and half).
        rectangle = difficulty == "hard" or (difficulty == "easy" and draw.choice((False, True)))
        n_w = draw.choice([v for v in range(2, top + 1) if v != n_h]) if rectangle else n_h
        params = {"h": p * n_h, "w": p * n_w, "c": draw.choice((1, 3)), "p": p}
        if difficulty != "easy":
            params["d"] = draw.choice(WIDTHS)
        if difficulty == "hard":
            params["batch"] = draw.choice((8, 16, 32, 64))
        return params

    def solve(self, params):
        h, w, c, p = params["h"], params["w"], params["c"], params["p"]
        n = (h // p) * (w // p)
        seq = n + 1
        patch_len = p * p * c
        parts = [
            number_part("a", n, 2, tolerance=0, mistakes={
                "divided the area by P instead of P²": h * w // p,
                "counted the patches along one side only": h // p,
            }),
            number_part("b", seq, 1, tolerance=0, depends_on=["a"], mistakes={
                "forgot the [CLS] token": n,
            }),
        ]
        work = {"n_h": h // p, "n_w": w // p, "n": n, "seq": seq, "patch_len": patch_len}
        if "d" not in params:
            parts.append(number_part("c", patch_len, 1, tolerance=0, mistakes={
                "forgot the colour channels": p * p,
                "used P·C instead of P²·C": p * c,
            }))
            return Solution(parts=parts, work=work)
        d = params["d"]
        proj = patch_len * d + d
        parts.append(number_part("c", proj, 2, tolerance=0, mistakes={
            "forgot the bias": patch_len * d,
            "forgot the colour channels": p * p * d + d,
            "a separate projection per patch": n * proj,
        }))
        work["proj"] = proj
        if "batch" not in params:
            parts.append(number_part("d", seq * d, 2, tolerance=0, depends_on=["b"], mistakes={
                "forgot the [CLS] position": n * d,
            }))
            parts.append(shape_part("e", [seq, d], 1, mistakes={
                "forgot the [CLS] token": [n, d],
                "kept the flattened patch length": [seq, patch_len],
            }))
        else:
            total = proj + d + seq * d
            parts.append(number_part("d", total, 3, depends_on=["b"], tolerance=0, mistakes={
                # These three slips each leave out one D-vector: the same number, so one name.
                "one D-vector short: left out the [CLS] embedding, its position or the projection's bias":
                    proj + seq * d,
                "forgot the positional embeddings": proj + d,
            }))
            parts.append(shape_part("e", [params["batch"], seq, d], 1, mistakes={
                "forgot the [CLS] token": [params["batch"], n, d],
                "kept the flattened patch length": [params["batch"], seq, patch_len],
            }))
            parts.append(number_part("f", seq * seq, 2, tolerance=0, depends_on=["b"], mistakes={
                "forgot the [CLS] token": n * n,
                "took (N + 1)·D instead of (N + 1)²": seq * d,
            }))
            work["total"] = total
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Sequence-length-based parts from the student's patch count / sequence length."""
        out = {}
        if "a" in given:
            out["b"] = given["a"] + 1
        if "b" in given and "d" in params:
            seq, d = given["b"], params["d"]
            proj = params["p"] ** 2 * params["c"] * d + d
            if "batch" in params:
                out["d"] = proj + d + seq * d
                out["f"] = seq * seq
            else:
                out["d"] = seq * d
        return out
