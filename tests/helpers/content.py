"""Content made for a test: sources with items of a given shape."""

from __future__ import annotations

import random
import string

from ..feedkit import FeedLab


def noisy(lab: FeedLab, numbers: range, seed: int) -> None:
    """Items whose text does not compress much: a delta pack of a few hundred kilobytes."""
    rng = random.Random(seed)
    for n in numbers:
        folder = lab.source / "items" / "noisy" / f"noisy-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "item.toml").write_text(
            f'id = "noisy-{n}"\nkind = "service"\ncategory = "services"\ngates = ["*"]\n'
            'source = "Test agency"\n',
            encoding="utf-8",
        )
        words = " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(1400))
        (folder / "en.md").write_text(
            f'+++\ntitle = "Noisy item {n} v{seed}"\nsummary = "S"\n+++\n{words}\n',
            encoding="utf-8",
        )
