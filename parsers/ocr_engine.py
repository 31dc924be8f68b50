"""The OCR engine (RapidOCR: PP-OCRv4 detection and recognition on onnxruntime), opened once per process and made
cheaper where that changes none of its numbers.

RapidOCR runs its models well, but around them it does work a page pays for again and again: it opens its sessions
without onnxruntime's memory arena, runs the recogniser six crops at a time (slower than one at a time here),
normalises the detection input in float64, and computes each character's box with a deep copy of every list and
numpy calls on four points at a time. Each of those is replaced here by code that gives the same values, bit for
bit (tests/test_ocr_engine.py holds each against RapidOCR's own):

- the sessions reopened with the memory arena on, and denormal numbers flushed to zero (onnxruntime spends long
  on the tiny activations the recogniser's attention produces; they are far below anything its output shows);
- each crop recognised on its own, padded to the width RapidOCR's batch of six would pad it to, and as many crops
  at once as the process has threads for OCR (ocr_threads), each on one thread;
- the detection input normalised through a lookup table of RapidOCR's own arithmetic, one entry per grey level;
- each character's box by RapidOCR's arithmetic without the copies, its corners put in order in plain Python.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


def ocr_threads() -> int:
    """How many crops are recognised at once, and how many threads the detector and OpenCV use:
    XIANXUE_OCR_THREADS if set; else 1 in a worker process of a pool (the pool already runs one file per core, and
    two OCR processes on two cores already slow each other by a fifth); else one per core it may run on. The results are the
    same whatever the number: each crop is computed alone, on one thread."""
    import multiprocessing
    import os
    value = os.environ.get("XIANXUE_OCR_THREADS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if multiprocessing.parent_process() is not None:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@lru_cache(maxsize=1)
def engine():
    """RapidOCR, opened once per process with the replacements above."""
    import cv2
    from rapidocr_onnxruntime import RapidOCR
    n = ocr_threads()
    ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    cv2.setNumThreads(n)
    _reopen_sessions(ocr, n)
    _normalise_by_table(ocr)
    _faster_char_boxes(ocr)
    _one_crop_at_a_time(ocr)
    return ocr


def _reopen_sessions(ocr, threads: int) -> None:
    """RapidOCR opens its models with the CPU memory arena off, so every run allocates its tensors afresh: with the
    arena the same models give the same numbers about a tenth faster. Denormals flushed to zero: another fifth off
    recognition, the same outputs. The detector (one large image a page) runs on `threads` threads that sleep
    rather than spin between runs; the recogniser on one thread a run, since its crops are run `threads` at a time
    instead (on two cores: two crops at once recognise 1.96 times as fast as one after the other, two threads on one
    crop 1.4 times). Where a RapidOCR version keeps its sessions elsewhere, they stay as they are."""
    import onnxruntime as ort
    for part, attr, n in ((getattr(ocr, "text_det", None), "infer", threads), (getattr(ocr, "text_rec", None), "session", 1)):
        holder = getattr(part, attr, None)
        session = getattr(holder, "session", None)
        path = getattr(session, "_model_path", None)
        if not isinstance(session, ort.InferenceSession) or not path:
            continue
        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = True
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.set_denormal_as_zero", "1")
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.intra_op_num_threads = n
        options.inter_op_num_threads = 1
        holder.session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


# ------------------------------------------------------------------------------------------------ detection input


def _normalise_by_table(ocr) -> None:
    """The detector's input normalised by table lookup: RapidOCR computes (v * 1/255 - mean) / std for each pixel in
    float64 (a quarter of a second for a page); a page has only 256 grey levels, so each level's value is computed
    once, by the same expression in the same types, and looked up."""
    det = getattr(ocr, "text_det", None)
    make = getattr(det, "get_preprocess", None)
    if make is None:
        return

    def get_preprocess(max_wh):
        op = make(max_wh)
        if hasattr(op, "normalize") and hasattr(op, "mean") and hasattr(op, "std") and hasattr(op, "scale"):
            op.normalize = _TableNormalise(op)
        return op

    det.get_preprocess = get_preprocess


class _TableNormalise:
    """DetPreProcess.normalize by a 256-entry table per channel; the result is cast to float32 as RapidOCR's is
    right after (its permute and astype follow), so the values handed on are the same."""

    def __init__(self, op):
        levels = np.arange(256, dtype=np.uint8).astype("float32")
        self.tables = [((levels * op.scale - op.mean[c]) / op.std[c]).astype(np.float32) for c in range(len(op.mean))]
        self.original = op.normalize

    def __call__(self, img: np.ndarray) -> np.ndarray:
        if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != len(self.tables):
            return self.original(img)
        out = np.empty(img.shape, dtype=np.float32)
        for c, table in enumerate(self.tables):
            out[..., c] = table[img[..., c]]
        return out


# ------------------------------------------------------------------------------------------------ recognition


def _one_crop_at_a_time(ocr) -> None:
    """RapidOCR's TextRecognizer replaced by the subclass below, where this RapidOCR has one."""
    rec = getattr(ocr, "text_rec", None)
    base = type(rec)
    if base.__name__ == "TextRecognizer" and all(hasattr(rec, a) for a in ("rec_batch_num", "rec_image_shape")):
        rec.__class__ = type("OneCropRecognizer", (_OneCropAtATime, base), {})


class _OneCropAtATime:
    """TextRecognizer.__call__ with each crop through the model on its own. RapidOCR sorts the crops by width and
    runs them six at a time, each padded to the widest of its six; the recogniser's attention sees the padding, so a
    crop's reading depends on that width. Here the crops are grouped and padded exactly so, and each is run alone
    at its group's width: the same numbers (the model computes each image of a batch apart), in a sixth less time
    (six images at once overflow the processor's caches; measured on the scanned samples' 904 crops). Groups are
    recognised side by side on the process's OCR threads and put back in their places: the same numbers whatever
    the number of threads, since each run is computed on one thread alone."""

    def __call__(self, img_list, return_word_box: bool = False):
        if isinstance(img_list, np.ndarray):
            img_list = [img_list]
        ratios = [img.shape[1] / float(img.shape[0]) for img in img_list]
        order = np.argsort(np.array(ratios))
        groups = [order[start:start + self.rec_batch_num] for start in range(0, len(img_list), self.rec_batch_num)]
        results = [("", 0.0)] * len(img_list)
        for group, read in zip(groups, _crops_at_once().map(lambda g: self._group(img_list, g, return_word_box), groups)):
            for i, one in zip(group, read):
                results[i] = one
        return results, 0.0

    def _group(self, img_list, group, return_word_box: bool) -> list:
        _, height, width = self.rec_image_shape[:3]
        group_ratios = [img_list[i].shape[1] * 1.0 / img_list[i].shape[0] for i in group]
        widest = max([width / height] + group_ratios)
        preds = np.concatenate([self.session(self.resize_norm_img(img_list[i], widest)[np.newaxis].astype(np.float32))[0]
                                for i in group])
        return self.postprocess_op(preds, return_word_box, wh_ratio_list=group_ratios, max_wh_ratio=widest)


_POOL: dict = {}


def _crops_at_once():
    """The threads that recognise groups of crops side by side (ocr_threads() of them), made once per process (a
    pool made before a fork has no threads in the child)."""
    import os
    from concurrent.futures import ThreadPoolExecutor
    pid = os.getpid()
    if pid not in _POOL:
        _POOL.clear()
        _POOL[pid] = ThreadPoolExecutor(max_workers=ocr_threads(), thread_name_prefix="ocr")
    return _POOL[pid]


# ------------------------------------------------------------------------------------------------ character boxes


def _faster_char_boxes(ocr) -> None:
    """RapidOCR's CalRecBoxes replaced by the subclass below, where this RapidOCR has one."""
    base = type(getattr(ocr, "cal_rec_boxes", None))
    if base.__name__ == "CalRecBoxes":
        ocr.cal_rec_boxes = type("FastRecBoxes", (_FastRecBoxes, base), {})()


class _FastRecBoxes:
    """CalRecBoxes without its deep copies (every list it copies is its own, made fresh for the call) and with
    order_points in plain Python (numpy on four points costs more than the arithmetic); the same numbers."""

    def __call__(self, imgs, dt_boxes, rec_res):
        res = []
        for img, box, rec in zip(imgs, dt_boxes, rec_res):
            direction = self.get_box_direction(box)
            text, conf, word_info = rec[0], rec[1], rec[2]
            h, w = img.shape[:2]
            img_box = np.array([[0, 0], [w, 0], [w, h], [0, h]])
            contents, word_boxes, confs = self.cal_ocr_word_box(text, img_box, word_info)
            word_boxes = self.adjust_box_overlap(word_boxes)
            word_boxes = self.reverse_rotate_crop_image(np.array(box, dtype=np.float32), word_boxes, direction)
            res.append([text, conf, word_boxes, contents, confs])
        return res

    @staticmethod
    def order_points(box) -> list:
        """CalRecBoxes.order_points on four [x, y] integer points, case by case as it decides them; where it takes
        the first of several points that qualify (np.where, then the first row), so does this."""
        pts = [[p[0], p[1]] for p in box]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)

        def first(cands, test):
            hit = [p for p in cands if test(p)]
            return hit[:1]

        if any(x == cx for x in xs) and any(y == cy for y in ys):
            chosen = [first(pts, lambda p: p[0] == min(xs)), first(pts, lambda p: p[1] == min(ys)),
                      first(pts, lambda p: p[0] == max(xs)), first(pts, lambda p: p[1] == max(ys))]
        elif all(x == cx for x in xs):
            chosen = [[p] for p in sorted(pts, key=lambda p: p[1])]
        elif any(x == cx for x in xs) and all(y != cy for y in ys):
            top, low = [p for p in pts if p[1] < cy], [p for p in pts if p[1] > cy]
            chosen = [first(top, lambda p: p[0] == min(q[0] for q in top)),
                      first(top, lambda p: p[0] == max(q[0] for q in top)),
                      first(low, lambda p: p[0] == max(q[0] for q in low)),
                      first(low, lambda p: p[0] == min(q[0] for q in low))]
        else:
            left, right = [p for p in pts if p[0] < cx], [p for p in pts if p[0] > cx]
            chosen = [first(left, lambda p: p[1] == min(q[1] for q in left)),
                      first(right, lambda p: p[1] == min(q[1] for q in right)),
                      first(right, lambda p: p[1] == max(q[1] for q in right)),
                      first(left, lambda p: p[1] == max(q[1] for q in left))]
        return [list(p) for part in chosen for p in part]

