-- The app release a turn was measured on (issue 6): regressions show up per version.
alter table turn_metrics add column app_version text;
