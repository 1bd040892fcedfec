package hotspot

import (
	"fmt"
	"math"
	"testing"
	"time"

	"hotline/dedup"
)

var day0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func item(id int64, title, content string, place int64, days float64) Item {
	return Item{ID: id, Title: title, Content: content, PlaceID: place, At: day0.Add(time.Duration(days * 24 * float64(time.Hour)))}
}

// Planted: a week of 金典城 water cuts in one township (growing), three
// noise complaints at 滨河小区, and unrelated appeals; the same water-cut
// text elsewhere and a month later stays apart.
func TestCluster_Planted(t *testing.T) {
	var items []Item
	id := int64(0)
	add := func(it Item) { id++; it.ID = id; items = append(items, it) }
	for i := 0; i < 12; i++ {
		it := item(0, "金典城小区停水", fmt.Sprintf("来电人反映：安源区凤凰街金典城%d栋停水%d天，无人处理，请尽快恢复供水。", i%5+1, 1+i%3), 11, float64(i)/2)
		it.PhoneKey = fmt.Sprintf("p%d", i%9) // three repeat callers
		it.Urgent = i%4 == 0
		add(it)
	}
	for i := 0; i < 3; i++ {
		add(item(0, "滨河小区夜间施工噪音扰民", "来电人反映：湘东区峡山口街道滨河小区旁工地夜间施工，噪音扰民，影响休息。", 22, float64(i)))
	}
	for i, s := range []string{"咨询公积金提取需要哪些材料", "医保报销比例是多少", "路灯不亮请维修", "出租车拒载投诉", "幼儿园入学咨询"} {
		add(item(0, s, "来电人"+s+"，请相关部门答复。", 11, float64(i)))
	}
	add(item(0, "金典城小区停水", "来电人反映：安源区凤凰街金典城3栋停水2天，无人处理，请尽快恢复供水。", 33, 2))  // another place
	add(item(0, "金典城小区停水", "来电人反映：安源区凤凰街金典城3栋停水2天，无人处理，请尽快恢复供水。", 11, 40)) // a month on
	got := Cluster(items, Options{})
	if len(got) != 2 {
		for _, h := range got {
			t.Logf("%d items from %s: %s", len(h.Items), h.First, h.Items[0].Title)
		}
		t.Fatalf("%d hotspots, want the water cut and the noise", len(got))
	}
	water, noise := got[0], got[1]
	if len(water.Items) != 12 || water.Items[0].Title != "金典城小区停水" || water.PlaceID != 11 || water.Repeats != 3 || water.Callers != 9 ||
		water.Urgent != 3 || water.Days != 6 {
		t.Errorf("water: %d items, place %d, repeats %d, callers %d, urgent %d, days %d", len(water.Items), water.PlaceID, water.Repeats, water.Callers, water.Urgent, water.Days)
	}
	if len(noise.Items) != 3 || noise.Heat >= water.Heat {
		t.Errorf("noise: %d items, heat %v vs %v", len(noise.Items), noise.Heat, water.Heat)
	}
}

// Heat: the same thirty appeals rank higher spread over a rising week
// than on one day; repeat callers and urgency add to it.
func TestHeat(t *testing.T) {
	mk := func(spread float64, rising bool, urgent bool) Hotspot {
		var items []Item
		for i := 0; i < 30; i++ {
			at := float64(i) * spread / 30
			if rising {
				at = spread * (1 - float64((30-i)*(30-i))/900)
			}
			it := item(int64(i+1), "x", "y", 1, at)
			it.Urgent = urgent && i%3 == 0
			items = append(items, it)
		}
		g := make([]int, len(items))
		for i := range g {
			g[i] = i
		}
		return describe(items, g)
	}
	oneDay, week, rising, urgent := mk(0.2, false, false), mk(7, false, false), mk(7, true, false), mk(7, true, true)
	if !(oneDay.Heat < week.Heat && week.Heat < rising.Heat && rising.Heat < urgent.Heat) {
		t.Errorf("heat: one day %v, week %v, rising %v, urgent %v", oneDay.Heat, week.Heat, rising.Heat, urgent.Heat)
	}
}

// The clustering's similarity is dedup's: the same weights over the
// items, the same cosine.
func TestSpace_IsDedupSimilarity(t *testing.T) {
	items := []Item{
		item(1, "金典城小区停水", "安源区凤凰街金典城停水三天", 1, 0),
		item(2, "金典城停水", "凤凰街金典城3栋又停水了", 1, 1),
		item(3, "路灯不亮", "建设中路路灯不亮很久了", 1, 2),
		item(4, "公积金提取", "咨询公积金提取需要的材料", 1, 3),
	}
	sp := newSpace(items, 8)
	var w dedup.Weights
	for _, it := range items {
		w.Add(dedup.Of(it.Title, it.Content))
	}
	for i := range items {
		for j := range items {
			want := dedup.Similarity(w.Weigh(dedup.Of(items[i].Title, items[i].Content)), w.Weigh(dedup.Of(items[j].Title, items[j].Content)))
			if got := sp.cosine(i, j); math.Abs(got-want) > 1e-9 {
				t.Errorf("%d~%d: %v, dedup says %v", i, j, got, want)
			}
		}
	}
}
