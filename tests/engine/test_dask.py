"""The Dask executor against a real ``dask.distributed.LocalCluster`` with process workers.

Workers render in fresh processes of their own and either send the files back or write them to a
shared folder; either way the published video must be frame for frame the in-process render.
"""

from __future__ import annotations

import dataclasses

import pytest

from render.core.catalog import get_scene
from render.core.errors import RenderFailed
from render.core.quality import Quality
from render.core.settings import Settings
from render.engine.batch import run_batch
from render.engine.executors import DaskExecutor
from render.engine.pipeline import Engine, worker_job
from tests.engine.test_shard import frame_hashes

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def test_batch_on_dask_returns_the_same_frames(cluster, tiny_render, tmp_path):
    reference = tiny_render("lln")
    quality = reference_quality(reference)
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    executor = DaskExecutor(cluster.scheduler_address)
    try:
        assert executor.slots == 2
        spec = get_scene("lln")
        outcomes = run_batch(Engine(settings, executor), [(spec, spec.default_params())], quality)
    finally:
        executor.close()
    (outcome,) = outcomes
    assert outcome.status == "rendered", outcome.error
    assert frame_hashes(outcome.video) == frame_hashes(reference.movie)


def test_shared_folder_mode_and_remote_failures(cluster, tiny_render, tmp_path):
    reference = tiny_render("lln")
    quality = reference_quality(reference)
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    shared = tmp_path / "shared"
    executor = DaskExecutor(cluster.scheduler_address, shared=shared)
    spec = get_scene("lln")
    try:
        bad = dataclasses.replace(
            worker_job("lln", spec.default_params(), quality, settings),
            params={**spec.default_params().as_dict(), "paths": 0},
        )
        log = tmp_path / "bad.log"
        with pytest.raises(RenderFailed, match="Dask worker") as failure:
            executor.run(bad, log, lambda _n: None)
        assert failure.value.log == log and "paths" in log.read_text()

        outcomes = run_batch(Engine(settings, executor), [(spec, spec.default_params())], quality)
    finally:
        executor.close()
    (outcome,) = outcomes
    assert outcome.status == "rendered", outcome.error
    assert frame_hashes(outcome.video) == frame_hashes(reference.movie)
    assert any(shared.iterdir()), "the worker wrote into the shared folder"


def reference_quality(reference) -> Quality:
    """The harness's tiny quality, so that the two videos compare frame by frame."""
    return Quality("tiny", reference.job.width, reference.job.height, reference.job.fps)
