-- Voice to voice is now measured from the user's last speech frame (`lastSpeech`: the last
-- frame above the VAD threshold), which is when the user feels they stopped, instead of from
-- `speechEnd` (the end of utterance, after the silence wait or the end-of-turn model). Apps
-- say which definition they follow with `timingVersion` (2 = from the last speech frame).
--
-- The choice: the stage name `voiceToVoice` keeps meaning the new definition everywhere (the
-- app, the wire, the summary, Prometheus), and the old measure is renamed rather than mixed in.
-- Rows stored before this migration, and turns still sent without `timingVersion` (old app
-- versions, or turns they queued offline), are kept under the stage
-- `voiceToVoiceFromSpeechEnd`: nothing is lost or recomputed (the old rows cannot be: the last
-- speech frame was only sent as `endpointing`, and not by every app), and the summary shows
-- them as their own, clearly named stage, outside the voice-to-voice distribution. The other
-- stages keep their meaning: old apps had no eager turns, so their `asr`, `llmTtft`, ... are
-- the plain mark-to-mark times that the new definitions reduce to.
--
-- Relays on one PostgreSQL should be upgraded together: a relay still running the old code
-- would store old apps' voice to voice under `voiceToVoice` again.

update turn_metric_values set stage = 'voiceToVoiceFromSpeechEnd' where stage = 'voiceToVoice';

-- Per turn: the definitions its durations follow (1: before `timingVersion`), what committed
-- it (`turn-model`, `silence`, `text`; null when the app did not say), and its eager replies
-- (null when the app did not report them).
alter table turn_metrics add column timing_version integer not null default 1;
alter table turn_metrics add column end_of_turn text;
alter table turn_metrics add column eager_started integer;
alter table turn_metrics add column eager_kept integer;
alter table turn_metrics add column eager_discarded integer;
