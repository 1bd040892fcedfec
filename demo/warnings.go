package demo

import (
	"context"
	"time"

	"hotline/hotspot"
	"hotline/report"
	"hotline/sqldb"
)

// warnings replays the early-warning job over the history, as if it had
// run every evening (surges every day, new hotspots every third day), and
// has the team lead acknowledge each warning the next morning and close
// those older than a week with a note — so that the 预警 page shows the
// planted hotspots' surges and hotspots as they were found, and a few
// still open. The job itself raises today's when the server starts.
func (c *city) warnings(ctx context.Context, now time.Time) error {
	st, lead := c.db.Stats(), c.actors["lead"]
	today := report.Day(now)
	for d := today - 90; d < today; d++ {
		evening := report.DayStart(d).Add(22 * time.Hour)
		c.db.Now = func() time.Time { return evening }
		if _, err := st.RaiseSurges(ctx, hotspot.SurgeRule{}); err != nil {
			return err
		}
		if (today-d)%3 == 0 {
			if _, err := st.RaiseHotspots(ctx, hotspot.HardRule{}); err != nil {
				return err
			}
		}
	}
	c.db.Now = func() time.Time { return now }
	ws, err := st.Warnings(ctx, lead, sqldb.WarningFilter{Status: hotspot.WarnOpen})
	if err != nil {
		return err
	}
	for _, w := range ws {
		morning := report.DayStart(report.Day(w.CreatedAt) + 1).Add(8*time.Hour + 40*time.Minute)
		if morning.After(now) {
			continue
		}
		c.db.Now = func() time.Time { return morning }
		if _, err := st.HandleWarning(ctx, lead, w.ID, hotspot.WarnAcknowledged, ""); err != nil {
			return err
		}
		if closed := morning.Add(3 * 24 * time.Hour); closed.Before(now.Add(-4 * 24 * time.Hour)) {
			c.db.Now = func() time.Time { return closed }
			note := "已通报承办单位并跟踪办理，相关诉求已按期办结。"
			if w.Kind == hotspot.WarnSurge {
				note = "已核实为集中诉求，已提醒承办单位统一答复并在知识库补充答复口径。"
			}
			if _, err := st.HandleWarning(ctx, lead, w.ID, hotspot.WarnClosed, note); err != nil {
				return err
			}
		}
	}
	c.db.Now = func() time.Time { return now }
	return nil
}
