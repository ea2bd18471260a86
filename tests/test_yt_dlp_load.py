"""yt-dlp as Reader makes it: loaded once with the collector held off, and each YoutubeDL given yt-dlp's own default
extractors, in its order (worked out once rather than for every YoutubeDL), after any passed in."""

import gc

from reader.library.download import _new_ydl, load_yt_dlp


def test_each_youtubedl_has_yt_dlps_own_default_extractors_in_its_order():
    from yt_dlp import YoutubeDL

    load_yt_dlp()
    own = YoutubeDL({"quiet": True}, auto_init=False)
    own.add_default_info_extractors()
    ours = _new_ydl({"quiet": True})
    assert list(ours._ies) == list(own._ies)
    assert all(ours._ies[key] is own._ies[key] for key in own._ies)
    assert ours._ies_instances == own._ies_instances == {}


def test_extractors_passed_in_come_first_and_a_choice_of_extractors_is_yt_dlps_to_make():
    from fake_site import FakeTubeIE

    ours = _new_ydl({"quiet": True}, [FakeTubeIE])
    assert list(ours._ies)[0] == FakeTubeIE.ie_key()
    chosen = _new_ydl({"quiet": True, "allowed_extractors": ["generic"]})
    assert list(chosen._ies) == ["Generic"]


def test_loading_it_again_is_nothing_and_leaves_the_collector_on():
    load_yt_dlp()
    assert gc.isenabled()
    load_yt_dlp()
    assert gc.isenabled()
