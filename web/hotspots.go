package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"hotline"
	"hotline/report"
	"hotline/sqldb"
)

// hotspotCache keeps a period's hotspots for a few minutes: clustering a
// month takes seconds at a city's volume, and the page and the API ask
// for the same months.
type hotspotCache struct {
	mu    sync.Mutex
	items map[string]cachedHotspots
}

type cachedHotspots struct {
	at    time.Time
	items []sqldb.HotspotView
}

const hotspotTTL = 5 * time.Minute

func (s *Server) hotspots(r *http.Request, p report.Period) ([]sqldb.HotspotView, error) {
	key := p.Key()
	s.hot.mu.Lock()
	c, ok := s.hot.items[key]
	s.hot.mu.Unlock()
	if ok && time.Since(c.at) < hotspotTTL {
		return c.items, nil
	}
	items, err := s.DB.Stats().Hotspots(r.Context(), actorFrom(r), p)
	if err != nil {
		return nil, err
	}
	s.hot.put(key, items)
	return items, nil
}

// WarmHotspots keeps this month's and last month's hotspots computed in
// the background (clustering a month takes seconds at a city's volume),
// so that the 热点 tab and the API answer at once for the months people
// look at; other periods are clustered when first asked for. It runs
// until ctx ends, a pass every few minutes, before the cache expires.
func (s *Server) WarmHotspots(ctx context.Context) {
	t := time.NewTicker(hotspotTTL * 4 / 5)
	defer t.Stop()
	for {
		s.WarmHotspotsOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// WarmHotspotsOnce is one pass of WarmHotspots.
func (s *Server) WarmHotspotsOnce(ctx context.Context) {
	system := hotline.Actor{Role: hotline.RoleAnalyst, Name: "热点预计算"}
	this, _ := report.Containing(report.PeriodMonth, s.DB.Now())
	for _, p := range []report.Period{this, this.Previous()} {
		items, err := s.DB.Stats().Hotspots(ctx, system, p)
		if err != nil {
			if ctx.Err() == nil {
				s.Logger.Error("hotspots", "period", p.Key(), "err", err)
			}
			continue
		}
		s.hot.put(p.Key(), items)
	}
}

func (c *hotspotCache) put(key string, items []sqldb.HotspotView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = map[string]cachedHotspots{}
	}
	c.items[key] = cachedHotspots{time.Now(), items}
}

// handleHotspots is GET /api/v1/hotspots?from=&to= (or period=): the
// period's hotspots ranked by heat, each with its tickets.
func (s *Server) handleHotspots(w http.ResponseWriter, r *http.Request) {
	p, err := statsPeriod(r.URL.Query(), s.DB.Now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.Stats().CanSee(actorFrom(r)); err != nil {
		s.error(w, r, err)
		return
	}
	items, err := s.hotspots(r, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// hotspotsContent fills the hotspot tab (热点): the period's hotspots,
// hottest first, with their heat as a ranked bar.
func (s *Server) hotspotsContent(r *http.Request, l *locale, c *statsContent) error {
	items, err := s.hotspots(r, c.Period)
	if err != nil {
		return err
	}
	c.Notes = []string{"热点：同一地点、同类问题的诉求在 14 天内相似（文本相似度不低于 0.25、分类相同）而连在一起，至少 3 件。热度 = 件数 ×（1 + 增长）×（1 + ln 天数）×（1 + 重复来电/件数 + 紧急件/件数）+ ln(1 + 关注度)。"}
	t := statTable{ID: "hotspots", Title: "热点诉求", Columns: []string{"热点", "热度", "件数", "地点", "分类", "天数", "来电人", "重复来电", "紧急", "在办", "首次", "最近", "承办单位"}}
	var names []string
	var heat []any
	for i, h := range items {
		t.Rows = append(t.Rows, []any{h.Title, fmt.Sprintf("%.1f", h.Heat), int64(len(h.TicketIDs)), h.Place, h.Category, int64(h.Days), int64(h.Callers),
			int64(h.Repeats), int64(h.Urgent), int64(h.Open), h.FirstAt.In(hotline.ChinaZone).Format("01-02 15:04"), h.LastAt.In(hotline.ChinaZone).Format("01-02 15:04"),
			strings.Join(h.Units, "、")})
		t.Links = append(t.Links, fmt.Sprintf("/tickets/%d", h.ID))
		if i < 15 {
			names, heat = append(names, h.Title), append(heat, h.Heat)
		}
	}
	if len(items) > 0 {
		t.Chart = barChart(func(v string) string { return l.T(v) }, names, []chartSeries{{Name: "热度", Values: heat}}, true)
		t.Tall = true
	}
	t.Note = "点击热点打开其第一张工单；完整的工单清单见 GET /api/v1/hotspots。"
	c.Tables = []statTable{t}
	return nil
}
