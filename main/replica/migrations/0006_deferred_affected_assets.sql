-- Schema 6 (issue 8, decision 0029): affected assets are computed after the apply, not in it.
-- Draft: number taken.
SELECT 1;
