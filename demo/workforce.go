package demo

import (
	"context"
	"time"

	"hotline"
	"hotline/sqldb"
)

// workforce has the team lead mark a known event in the forecast: a
// policy announcement ten days ahead, expected to bring 30% more calls.
func (c *city) workforce(ctx context.Context, now time.Time) error {
	day := now.In(hotline.ChinaZone).AddDate(0, 0, 10).Format("2006-01-02")
	_, err := c.db.Workforce().AddAdjustment(ctx, c.actors["lead"], sqldb.ForecastAdjustment{From: day, To: day, Factor: 1.3,
		Note: "社保缴费基数调整政策发布，预计咨询增加三成"})
	return err
}
