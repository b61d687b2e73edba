#!/usr/bin/python3
"""The conversion model's architecture in PyTorch, for bench/ml.bench.ts.

Same shape as src/ml/conversion (network.ts, sparse-tables.ts, taste.ts, train.ts), on synthetic
tensors of the sizes the TS bench passes (rows, vocabularies, widths, batch size):

  tables:   customer (customers + 1 anonymous + hash buckets) x dim, product id (products + 1) x dim,
            category / brand / token x contentDim, taste category / taste token x dim
  content:  [category vec, brand vec, mean token vec, relPrice * category vec, relPrice, has-brand, fill]
  tower:    v = id vec + Dense(dim)([content, relu(Dense(contentHidden)(content))]) over the batch's
            distinct products
  customer: u = id vec + mean over recent engaged products of (taste category + mean taste tokens)
  head:     MLP over [u, v, u*v, context] -> hidden... (relu) -> 2 logits
  loss:     BCE(purchase) + engagementWeight * BCE(engagement)

--mode dense : every table an nn.Embedding / EmbeddingBag with dense gradients, one Adam.
--mode sparse: sparse=True tables updated by SparseAdam, dense layers by Adam.

Prints one JSON line: training examples/s, batch scoring predictions/s, peak RSS.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConversionNet(nn.Module):
    def __init__(self, s, sparse):
        super().__init__()
        d, dc = s["dim"], s["contentDim"]
        self.customer = nn.Embedding(s["customers"] + 1 + s["customerHashBuckets"], d, sparse=sparse)
        self.product_id = nn.Embedding(s["products"] + 1, d, sparse=sparse)
        self.category = nn.Embedding(s["categories"] + 1, dc, sparse=sparse)
        self.brand = nn.Embedding(s["brands"] + 1, dc, sparse=sparse)
        self.token = nn.EmbeddingBag(s["tokenBuckets"], dc, mode="mean", sparse=sparse)
        self.taste_category = nn.Embedding(s["categories"] + 1, d, sparse=sparse)
        self.taste_token = nn.EmbeddingBag(s["tokenBuckets"], d, mode="mean", sparse=sparse)
        for e in (self.customer, self.product_id, self.taste_category, self.taste_token):
            nn.init.zeros_(e.weight)  # id and taste vectors start at zero, as in sparse-tables.ts
        for e in (self.category, self.brand, self.token):
            nn.init.normal_(e.weight, std=0.05)
        cw = 4 * dc + 3
        self.content_hidden = nn.Linear(cw, s["contentHidden"])
        self.content_proj = nn.Linear(cw + s["contentHidden"], d)
        layers, width = [], 3 * d + s["contextWidth"]
        for units in s["hidden"]:
            layers += [nn.Linear(width, units), nn.ReLU()]
            width = units
        layers.append(nn.Linear(width, 2))
        self.head = nn.Sequential(*layers)
        nn.init.constant_(self.head[-1].bias, -3.0)

    def product_vectors(self, pids, cat, brand, price, tokens, tok_offsets, fill):
        c = self.category(cat)
        content = torch.cat([c, self.brand(brand), self.token(tokens, tok_offsets), price[:, None] * c,
                             price[:, None], (brand > 0).float()[:, None], fill[:, None]], 1)
        h = F.relu(self.content_hidden(content))
        return self.product_id(pids) + self.content_proj(torch.cat([content, h], 1))

    def customer_vectors(self, cust, taste_cat, taste_tok, taste_tok_offsets, item_row, item_slot, item_w):
        # taste.ts: each distinct recent product's taste (category vec + mean of its tokens' vecs),
        # computed once per batch, then averaged over each row's recent products.
        pt = self.taste_category(taste_cat) + self.taste_token(taste_tok, taste_tok_offsets)
        u = self.customer(cust)
        return u.index_add(0, item_row, pt[item_slot] * item_w[:, None])

    def logits(self, u, v, ctx):
        return self.head(torch.cat([u, v, u * v, ctx], 1))


def catalogue(s, g):
    n, k = s["products"], s["tokensPerProduct"]
    fill = torch.randint(k // 2, k + 1, (n,), generator=g)
    return {
        "cat": torch.randint(0, s["categories"], (n,), generator=g),
        "brand": torch.randint(0, s["brands"] + 1, (n,), generator=g),
        "price": torch.randn(n, generator=g) * 0.4,
        "tokens": torch.randint(1, s["tokenBuckets"], (n, k), generator=g),
        "fill": fill,
    }


def bags(idx_lists):
    """CSR (flat, offsets) of a list of 1-D tensors for EmbeddingBag."""
    lengths = torch.tensor([len(x) for x in idx_lists], dtype=torch.long)
    offsets = torch.zeros(len(idx_lists), dtype=torch.long)
    if len(idx_lists) > 1:
        offsets[1:] = torch.cumsum(lengths, 0)[:-1]
    flat = torch.cat(idx_lists) if idx_lists else torch.zeros(0, dtype=torch.long)
    return flat, offsets


def product_inputs(cat_, pids):
    toks = [cat_["tokens"][p, : cat_["fill"][p]] for p in pids.tolist()]
    tok_flat, tok_off = bags(toks)
    return (pids, cat_["cat"][pids], cat_["brand"][pids], cat_["price"][pids], tok_flat, tok_off,
            cat_["fill"][pids].float() / cat_["tokens"].shape[1])


def taste_inputs(s, cat_, m, g):
    """Each row's recent engaged products (0..RECENT of them): the distinct ones' category and token
    bags, and (row, distinct-product slot, 1/len) per item for the per-row mean."""
    lens = torch.randint(0, s["recent"] + 1, (m,), generator=g)
    items = torch.randint(0, s["products"], (int(lens.sum()),), generator=g)
    item_row = torch.repeat_interleave(torch.arange(m), lens)
    item_w = (1.0 / lens.clamp(min=1).float())[item_row]
    uniq, slot = torch.unique(items, return_inverse=True)
    toks = [cat_["tokens"][p, : cat_["fill"][p]] for p in uniq.tolist()]
    t_flat, t_off = bags(toks)
    return cat_["cat"][uniq], t_flat, t_off, item_row, slot, item_w


def make_batch(s, cat_, g, m):
    cust = torch.randint(0, s["customers"], (m,), generator=g)
    prod = torch.randint(0, s["products"], (m,), generator=g)
    uniq, slot = torch.unique(prod, return_inverse=True)
    return {
        "cust": cust, "slot": slot, "prod_in": product_inputs(cat_, uniq),
        "taste": taste_inputs(s, cat_, m, g),
        "ctx": torch.rand(m, s["contextWidth"], generator=g),
        "y": (torch.rand(m, generator=g) < 0.03).float(),
        "e": (torch.rand(m, generator=g) < 0.15).float(),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["dense", "sparse"], required=True)
    ap.add_argument("--shape", required=True, help="JSON sizes from the TS bench")
    ap.add_argument("--max-seconds", type=float, default=25.0)
    ap.add_argument("--pool", type=int, default=64, help="distinct synthetic batches, cycled")
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                    help="intra-op threads (Debian's build defaults to 1 here; use every core)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    s = json.loads(a.shape)
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(1)
    threads = torch.get_num_threads()
    sparse = a.mode == "sparse"
    net = ConversionNet(s, sparse)
    emb = [p for n, p in net.named_parameters() if not (n.startswith("content_") or n.startswith("head"))]
    dense = [p for n, p in net.named_parameters() if n.startswith("content_") or n.startswith("head")]
    lr = s.get("learningRate", 0.002)
    if sparse:
        opts = [torch.optim.SparseAdam(emb, lr=0.01), torch.optim.Adam(dense, lr=lr)]
    else:
        opts = [torch.optim.Adam(list(net.parameters()), lr=lr)]
    ew = s.get("engagementWeight", 0.5)
    B = s["batchSize"]
    cat_ = catalogue(s, g)
    pool = [make_batch(s, cat_, g, B) for _ in range(a.pool)]

    def step(b):
        for o in opts:
            o.zero_grad(set_to_none=True)
        v = net.product_vectors(*b["prod_in"])[b["slot"]]
        u = net.customer_vectors(b["cust"], *b["taste"])
        out = net.logits(u, v, b["ctx"])
        loss = F.binary_cross_entropy_with_logits(out[:, 0], b["y"]) + ew * F.binary_cross_entropy_with_logits(out[:, 1], b["e"])
        loss.backward()
        for o in opts:
            o.step()
        return loss.item()

    for k in range(5):  # warm-up
        step(pool[k % len(pool)])
    rows_cap = s["rows"]
    trained, k, loss = 0, 0, float("nan")
    t0 = time.perf_counter()
    while trained < rows_cap and time.perf_counter() - t0 < a.max_seconds:
        loss = step(pool[k % len(pool)])
        trained += B
        k += 1
    train_s = time.perf_counter() - t0

    # Batch scoring as the TS model does it: product vectors once, then customer vectors + head in
    # batches of 4096 (taste bags built per batch, like the TS context/taste assembly).
    net.eval()
    n_score = int(s.get("scoreRows", 100_000))
    PB = 4096
    score_pool = []
    for _ in range(4):
        m = PB
        score_pool.append({
            "cust": torch.randint(0, s["customers"], (m,), generator=g),
            "prod": torch.randint(0, s["products"], (m,), generator=g),
            "taste": taste_inputs(s, cat_, m, g),
            "ctx": torch.rand(m, s["contextWidth"], generator=g),
        })
    with torch.no_grad():
        t0 = time.perf_counter()
        allp = torch.arange(s["products"])
        vecs = net.product_vectors(*product_inputs(cat_, allp))
        done, k = 0, 0
        while done < n_score:
            b = score_pool[k % len(score_pool)]
            m = min(PB, n_score - done)
            u = net.customer_vectors(b["cust"], *b["taste"])
            p = torch.sigmoid(net.logits(u, vecs[b["prod"]], b["ctx"])[:, 0])
            p[:m].numpy()
            done += m
            k += 1
        score_s = time.perf_counter() - t0

    print(json.dumps({
        "mode": a.mode, "torch": torch.__version__, "threads": threads,
        "trainExamples": trained, "trainSeconds": train_s, "trainExamplesPerSecond": trained / train_s,
        "scoreRows": n_score, "scoreSeconds": score_s, "predictionsPerSecond": n_score / score_s,
        "parameters": sum(p.numel() for p in net.parameters()),
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "finalLoss": loss,
    }))


if __name__ == "__main__":
    sys.exit(main())
