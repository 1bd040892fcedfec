// Package demo loads a demo city — Pingxiang's units, a category tree, a
// dispatch catalogue, one user per role and per unit, and a few hundred
// tickets in every state over the last 90 days — into an empty database.
// The tickets are made by running the real lifecycle with the clock set in
// the past, so the demo exercises the same code as production.
package demo

import (
	"context"
	"fmt"
	"time"

	"hotline"
	"hotline/sqldb"
)

// Options tune the demo.
type Options struct {
	Password string    // every demo user's password
	Tickets  int       // how many tickets to make
	Now      time.Time // the present; tickets lie in the 90 days before
	Seed     uint64
	// CallsPerDay is the centre's calls on a working day in the call
	// history (zero: only the stories' calls).
	CallsPerDay int
	// HistoryPerDay is the appeals of a working day in the ticket history
	// before the stories (zero: only the stories' tickets).
	HistoryPerDay int
}

// Loaded reports whether the database already holds a city.
func Loaded(ctx context.Context, db *sqldb.DB) (bool, error) {
	units, err := db.FindUnits(ctx)
	return len(units) > 0, err
}

// Load fills an empty database with the demo city.
func Load(ctx context.Context, db *sqldb.DB, o Options) error {
	if ok, err := Loaded(ctx, db); err != nil || ok {
		return err
	}
	var rows [][4]string
	for _, u := range units {
		rows = append(rows, [4]string{u.code, u.name, u.kind, u.parent})
	}
	if _, err := db.ImportUnits(ctx, sqldb.SystemActor, rows); err != nil {
		return fmt.Errorf("demo units: %w", err)
	}
	var catRows [][]string
	for _, c := range categories {
		catRows = append(catRows, []string{c[0], c[1], c[2]})
	}
	if _, err := db.ImportCategories(ctx, sqldb.SystemActor, catRows); err != nil {
		return fmt.Errorf("demo categories: %w", err)
	}
	c, err := newCity(ctx, db)
	if err != nil {
		return err
	}
	c.password = o.Password
	if err := c.users(ctx, o.Password); err != nil {
		return err
	}
	if err := c.callAgentUsers(ctx, o.Password); err != nil {
		return err
	}
	if err := c.catalogue(ctx); err != nil {
		return err
	}
	if err := c.loadKB(ctx, o.Now); err != nil {
		return err
	}
	if err := c.tickets(ctx, o); err != nil {
		return err
	}
	if err := c.ticketHistory(ctx, o.Now, o.HistoryPerDay, o.Seed); err != nil {
		return err
	}
	if err := c.callHistory(ctx, o.Now, o.CallsPerDay, o.Seed); err != nil {
		return err
	}
	if err := c.present(ctx, o.Now); err != nil {
		return err
	}
	return c.dispatchModels(ctx)
}

// dispatchModels trains the unit and category models on the demo's
// concluded tickets and switches them on, as the demo's admin would after
// reading their evaluation, so that intake and dispatch show suggestions.
// With too few concluded tickets there is no model.
func (c *city) dispatchModels(ctx context.Context) error {
	for _, target := range []string{sqldb.TargetUnit, sqldb.TargetCategory} {
		_, m, err := c.db.TrainDispatchModel(ctx, c.actors["admin"], target)
		if err != nil {
			return fmt.Errorf("demo %s model: %w", target, err)
		}
		if m == nil {
			continue
		}
		if err := c.db.ActivateDispatchModel(ctx, c.actors["admin"], target, m.ID); err != nil {
			return err
		}
	}
	return nil
}

// city indexes what Load created.
type city struct {
	db        *sqldb.DB
	password  string // every demo user's
	unitByKey map[string]*hotline.Unit
	districts []*hotline.Unit
	towns     map[int64][]*hotline.Unit
	catByPath map[string]*hotline.Category
	leaves    []*hotline.Category
	actors    map[string]hotline.Actor
	unitActor map[int64][]hotline.Actor // the unit's login, then its named handlers
	prev      *hotline.Ticket           // the story before, a merge target
	articles  []int64                   // the published knowledge-base articles
}

func newCity(ctx context.Context, db *sqldb.DB) (*city, error) {
	c := &city{db: db, unitByKey: map[string]*hotline.Unit{}, towns: map[int64][]*hotline.Unit{},
		catByPath: map[string]*hotline.Category{}, actors: map[string]hotline.Actor{}, unitActor: map[int64][]hotline.Actor{}}
	us, err := db.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		c.unitByKey[u.Code] = u
		switch u.Kind {
		case hotline.UnitDistrict:
			c.districts = append(c.districts, u)
		case hotline.UnitTownship:
			c.towns[u.ParentID] = append(c.towns[u.ParentID], u)
		}
	}
	cats, err := db.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	for _, cat := range cats {
		c.catByPath[cat.Path] = cat
		if cat.Level == 3 {
			c.leaves = append(c.leaves, cat)
		}
	}
	return c, nil
}

func (c *city) users(ctx context.Context, password string) error {
	for _, r := range roleUsers {
		u := &hotline.User{Username: r[0], Role: hotline.Role(r[1]), DisplayName: r[2]}
		if err := c.db.CreateUser(ctx, sqldb.SystemActor, u, password); err != nil {
			return fmt.Errorf("demo user %s: %w", r[0], err)
		}
		c.actors[r[0]] = hotline.ActorOf(u)
	}
	for _, row := range units {
		unit := c.unitByKey[row.code]
		u := &hotline.User{Username: row.code, Role: hotline.RoleUnit, UnitID: unit.ID, DisplayName: unit.Name}
		if err := c.db.CreateUser(ctx, sqldb.SystemActor, u, password); err != nil {
			return fmt.Errorf("demo user %s: %w", row.code, err)
		}
		c.unitActor[unit.ID] = []hotline.Actor{hotline.ActorOf(u)}
	}
	for _, h := range unitHandlers {
		unit := c.unitByKey[h[0]]
		u := &hotline.User{Username: h[1], Role: hotline.RoleUnit, UnitID: unit.ID, DisplayName: h[2]}
		if err := c.db.CreateUser(ctx, sqldb.SystemActor, u, password); err != nil {
			return fmt.Errorf("demo user %s: %w", h[1], err)
		}
		c.unitActor[unit.ID] = append(c.unitActor[unit.ID], hotline.ActorOf(u))
	}
	return nil
}

// catalogue maps every level-2 category to its lead unit; "district"
// categories go to the district of the place, with city urban management
// as the fallback for places outside any district.
func (c *city) catalogue(ctx context.Context) error {
	v := &hotline.CatalogueVersion{Note: "演示派单目录"}
	seen := map[string]bool{}
	for _, row := range categories {
		path := row[0] + "/" + row[1]
		if seen[path] {
			continue
		}
		seen[path] = true
		cat := c.catByPath[path]
		if row[3] != "district" {
			e := hotline.CatalogueEntry{CategoryID: cat.ID, LeadUnitID: c.unitByKey[row[3]].ID}
			if row[3] == "util-water" || row[3] == "util-power" {
				e.CoUnitIDs = []int64{c.unitByKey["dept-urban"].ID}
			}
			v.Entries = append(v.Entries, e)
			continue
		}
		v.Entries = append(v.Entries, hotline.CatalogueEntry{CategoryID: cat.ID, LeadUnitID: c.unitByKey["dept-urban"].ID})
		for _, d := range c.districts {
			v.Entries = append(v.Entries, hotline.CatalogueEntry{CategoryID: cat.ID, RegionUnitID: d.ID, LeadUnitID: d.ID})
		}
	}
	return c.db.PublishCatalogue(ctx, c.actors["admin"], v)
}
