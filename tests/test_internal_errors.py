"""A bug of ours on one file is that file's unreadable-file finding with the reason; the other files go on."""
from ingest import batch, pipeline

from conftest import SAMPLES


def test_a_stage_failing_on_one_file_does_not_stop_the_batch(monkeypatch):
    real = pipeline.read_notice

    def explode_on_pudong(paras, web=()):
        if any("浦东" in p.text for p in paras):
            raise ZeroDivisionError("boom")
        return real(paras, web)

    monkeypatch.setattr(pipeline, "read_notice", explode_on_pudong)
    notices = batch.run([str(SAMPLES / "pudong-2024.txt"), str(SAMPLES / "qingpu-2021.txt")], {"jobs": 1})
    pudong, qingpu = notices
    assert not pudong.readable and "ZeroDivisionError: boom" in pudong.error
    assert [f.code for f in pudong.findings] == ["unreadable-file"]
    assert qingpu.readable and qingpu.facts.total_target == 16687
