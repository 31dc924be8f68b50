"""parsers/ocr_engine.py: each part of RapidOCR it replaces gives RapidOCR's own values, bit for bit. The class
of input each serves: any page image read by OCR."""
import copy
import os

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from notice_factory import WQY_FILE
from parsers import ocr, ocr_engine

needs_font = pytest.mark.skipif(not os.path.exists(WQY_FILE), reason="needs fonts-wqy-microhei (make samples)")


def _page(lines, size=(1000, 260), px=30) -> np.ndarray:
    img = Image.new("L", size, 235)
    d = ImageDraw.Draw(img)
    for i, text in enumerate(lines):
        d.text((40, 30 + i * 2 * px), text, font=ImageFont.truetype(WQY_FILE, px), fill=30)
    return np.asarray(img)


def test_order_points_as_rapidocr_orders_them():
    from rapidocr_onnxruntime.cal_rec_boxes import CalRecBoxes
    rng = np.random.default_rng(3)
    quads = [[[10, 5], [40, 5], [40, 25], [10, 25]],          # a character's box, upright
             [[20, 0], [40, 20], [20, 40], [0, 20]],          # a diamond: x and y of the centre both on corners
             [[7, 1], [7, 9], [7, 3], [7, 30]],               # all on one vertical line
             [[5, 0], [15, 2], [5, 10], [0, 7]],              # two corners on the centre's x, none on its y
             [[3, 3], [3, 3], [9, 8], [1, 8]]]                # repeated corners
    quads += [rng.integers(0, 30, size=(4, 2)).tolist() for _ in range(3000)]
    quads += [rng.integers(0, 4, size=(4, 2)).tolist() for _ in range(3000)]    # many ties
    for q in quads:
        try:
            want = CalRecBoxes.order_points(copy.deepcopy(q))
        except ValueError:            # RapidOCR's own fails on some degenerate quads; a real box is never one
            continue
        assert ocr_engine._FastRecBoxes.order_points(q) == want, q


@needs_font
def test_character_boxes_as_rapidocr_computes_them():
    from rapidocr_onnxruntime.cal_rec_boxes import CalRecBoxes
    engine = ocr_engine.engine()
    lines = ["2024年全县无偿献血总量为2045人份", "城关镇  500  河口镇 620 (青山)"]
    img = np.stack([_page(lines)] * 3, axis=2)
    boxes, _ = engine.text_det(img)
    crops = engine.get_crop_img_list(img, engine.sorted_boxes(boxes))
    rec, _ = engine.text_rec(crops, True)
    assert len(rec) >= 2
    fast = engine.cal_rec_boxes(crops, engine.sorted_boxes(boxes), copy.deepcopy(rec))
    assert type(engine.cal_rec_boxes).__name__ == "FastRecBoxes"
    assert fast == CalRecBoxes()(crops, engine.sorted_boxes(boxes), copy.deepcopy(rec))


def test_detector_input_normalised_as_rapidocr_does():
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
    op = DetPreProcess(736, "min", [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
    img = np.random.default_rng(1).integers(0, 256, size=(37, 53, 3), dtype=np.uint8)
    img[0, :3] = [[0, 0, 0], [255, 255, 255], [127, 128, 129]]
    want = op.normalize(img).astype(np.float32)
    got = ocr_engine._TableNormalise(op)(img)
    assert got.dtype == np.float32 and np.array_equal(got.view(np.uint32), want.view(np.uint32))


def test_paper_painted_over_specks_as_a_median_of_the_whole_page():
    import cv2
    rng = np.random.default_rng(5)
    grey = rng.integers(150, 256, size=(60, 80), dtype=np.uint8)
    mask = np.zeros(grey.shape, dtype=bool)
    for x0, y0, x1, y1 in [(0, 0, 2, 2), (78, 57, 80, 60), (30, 20, 33, 22), (0, 40, 1, 41), (79, 0, 80, 3)]:
        mask[y0:y1, x0:x1] = True
        out = grey.copy()
        ocr._paint_paper(grey, out, mask, x0, y0, x1, y1)
        want = grey.copy()
        want[y0:y1, x0:x1][mask[y0:y1, x0:x1]] = cv2.medianBlur(grey, 7)[y0:y1, x0:x1][mask[y0:y1, x0:x1]]
        assert np.array_equal(out, want), (x0, y0)


@needs_font
def test_the_engine_reads_as_rapidocr_opened_its_own_way():
    """Arena, denormals flushed, table normalisation, fast character boxes, each crop recognised alone at its
    group's width: the same words, confidences and boxes as RapidOCR as it comes, on a page at its own size with
    crops of many widths (more than one group of six)."""
    from rapidocr_onnxruntime import RapidOCR
    img = _page(["关于做好2024年无偿献血工作的意见", "献血量 3,150 人份（每人份200毫升）", "合计          12.5",
                 "8          0          61", "城关镇     500     河口镇", "一、工作目标          二、"],
                size=(1000, 400))
    ours, _ = ocr_engine.engine()(img, use_cls=False, return_word_box=True)
    theirs, _ = RapidOCR()(img, use_cls=False, return_word_box=True)
    assert type(ocr_engine.engine().text_rec).__name__ == "OneCropRecognizer"
    assert len(ours) > 6 and ours == theirs


@needs_font
def test_crops_recognised_side_by_side_read_as_one_after_the_other(monkeypatch):
    """The engine's crops run on several threads at once (the OCR threads of a process that has the cores to
    itself): the same words, confidences and boxes as on one thread, in the same order, on a page of many crops
    (several groups of six, of different widths, so that groups finish out of order)."""
    lines = ["关于做好2024年无偿献血工作的意见"] + [f"{name}{' ' * 14}{n}{' ' * 16}{n * 3 + 7}" for name, n in
             [("城关镇", 500), ("河口镇", 62), ("青山乡", 8), ("合计", 1165), ("卫健委", 0), ("一、", 12)]]
    img = _page(lines, size=(1000, 460))
    read = {}
    for threads in ("1", "3"):
        monkeypatch.setenv("XIANXUE_OCR_THREADS", threads)
        ocr_engine._POOL.clear()
        read[threads], _ = ocr_engine.engine.__wrapped__()(img, use_cls=False, return_word_box=True)
    ocr_engine._POOL.clear()
    assert ocr_engine.ocr_threads() == 3
    assert len(read["1"]) > 12 and read["3"] == read["1"]
