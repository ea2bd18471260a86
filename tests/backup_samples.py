"""Shared by the restore tests: a small valid backup, as Reader writes one."""


def good() -> dict:
    """A small valid backup, as Reader writes one: a new video with a transcript, two highlights and a thread."""
    return {
        "format": "reader-backup", "version": 1, "exported_at": "2025-01-02T03:04:05+00:00",
        "videos": [{
            "video": {"site": "youtube", "site_id": "new1", "title": "A talk", "source_url": "https://example.invalid/v",
                      "channel": None, "description": "", "duration_ms": 9000, "upload_date": "20240101",
                      "thumbnail_path": "", "media_path": "", "transcript_path": None, "transcript_source": "creator",
                      "transcript_language": "en", "transcript_format": "vtt", "cue_count": 2, "last_position_ms": 4200,
                      "added_at": "2024-05-01T00:00:00+00:00", "opened_at": None},
            "cues": [{"start_ms": 0, "end_ms": 1500, "speaker": "Ada", "text": "First line.", "turn": False},
                     {"start_ms": 1500, "end_ms": 3000, "speaker": None, "text": "Second line.", "turn": True,
                      "words": [{"start_ms": 1500, "text": "Second"}, {"start_ms": 2200, "text": "line."}]}],
            "chapters": [{"start_ms": 0, "title": "Opening"}],
            "highlights": [
                {"id": 7, "video_id": 3, "start_cue": 0, "start_offset": 0, "end_cue": 0, "end_offset": 5, "start_ms": 0,
                 "end_ms": 1500, "text": "First", "color": "green", "note": "a note", "created_at": "2024-05-02T00:00:00+00:00",
                 "edited_at": "2024-05-02T00:00:00+00:00", "answer_count": 2},
                {"id": 8, "video_id": 3, "start_cue": 1, "start_offset": 0, "end_cue": 1, "end_offset": 6, "start_ms": 1500,
                 "end_ms": 3000, "text": "Second", "color": "yellow", "note": "", "created_at": "2024-05-03T00:00:00+00:00",
                 "edited_at": None, "answer_count": 0},
            ],
            "answers": [
                {"id": 20, "video_id": 3, "highlight_id": 7, "thread_id": 20, "kind": "explain", "question": "Explain",
                 "prompt": "p", "answer": "It means \u20631\u2063.", "citations": '[{"start_ms": 0, "end_ms": 1500, "text": "First"}]',
                 "model": "claude", "input_tokens": 10, "output_tokens": 5, "cache_read_tokens": None,
                 "cache_creation_tokens": None, "status": "complete", "error": "", "created_at": "2024-05-02T00:01:00+00:00",
                 "updated_at": "2024-05-02T00:01:00+00:00"},
                {"id": 21, "video_id": 3, "highlight_id": 7, "thread_id": 20, "kind": "followup", "question": "Why?",
                 "prompt": "p2", "answer": "Because", "citations": "[]", "model": "claude", "input_tokens": None,
                 "output_tokens": None, "cache_read_tokens": None, "cache_creation_tokens": None, "status": "streaming",
                 "error": "", "created_at": "2024-05-02T00:02:00+00:00", "updated_at": None},
            ],
        }],
    }
