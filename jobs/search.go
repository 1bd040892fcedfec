package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline/sqldb"
)

// IndexTickets brings the ticket search index up to date once at start
// (tickets saved before search existed), logging progress every ten
// seconds. Tickets saved while the server runs are indexed as they are
// saved.
func IndexTickets(ctx context.Context, db *sqldb.DB, logger *slog.Logger) {
	start, last := time.Now(), time.Now()
	err := db.IndexTickets(ctx, func(done, total int) {
		if time.Since(last) > 10*time.Second || done == total {
			logger.Info("indexing tickets for search", "done", done, "total", total)
			last = time.Now()
		}
	})
	if err != nil && ctx.Err() == nil {
		logger.Error("index tickets", "err", err)
		return
	}
	logger.Debug("ticket index up to date", "took", time.Since(start))
}
