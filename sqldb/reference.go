package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"hotline"
)

// CreateUnit adds a unit; its parent, if any, must exist.
func (db *DB) CreateUnit(ctx context.Context, actor hotline.Actor, u *hotline.Unit) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以维护承办单位")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := createUnit(ctx, tx, u); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "config.unit", fmt.Sprintf("unit:%d %s", u.ID, u.Code), u.Name); err != nil {
		return err
	}
	return tx.Commit()
}

func createUnit(ctx context.Context, tx *Tx, u *hotline.Unit) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE code = $1`, u.Code).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return hotline.Invalid("code", "单位编码“%s”已存在", u.Code)
	}
	var parent any
	if u.ParentID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = $1`, u.ParentID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return hotline.Invalid("parent_id", "上级单位不存在")
		}
		parent = u.ParentID
	}
	u.Active = true
	if err := tx.QueryRowContext(ctx, `INSERT INTO units (code, name, kind, parent_id, active) VALUES ($1, $2, $3, $4, TRUE) RETURNING id`,
		u.Code, u.Name, u.Kind, parent).Scan(&u.ID); err != nil {
		return err
	}
	return bumpCounter(ctx, tx, referenceCounter)
}

// FindUnits returns every unit, ordered by id (parents before children).
func (db *DB) FindUnits(ctx context.Context) ([]*hotline.Unit, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, code, name, kind, COALESCE(parent_id, 0), active FROM units ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hotline.Unit
	for rows.Next() {
		u := &hotline.Unit{}
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.Active); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FindUnitByCode returns the unit with the given code.
func (db *DB) FindUnitByCode(ctx context.Context, code string) (*hotline.Unit, error) {
	u := &hotline.Unit{}
	err := db.read.QueryRowContext(ctx, `SELECT id, code, name, kind, COALESCE(parent_id, 0), active FROM units WHERE code = $1`, code).
		Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "单位“%s”不存在", code)
	}
	return u, err
}

// ImportUnits adds units given as (code, name, kind, parent code) rows, in
// one transaction: a bad row rejects the whole file. Existing codes are kept.
func (db *DB) ImportUnits(ctx context.Context, actor hotline.Actor, rows [][4]string) (added int, err error) {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return 0, hotline.Errorf(hotline.EForbidden, "只有系统管理员可以导入承办单位")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for i, r := range rows {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM units WHERE code = $1`, strings.TrimSpace(r[0])).Scan(&id)
		if err == nil {
			continue
		} else if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		u := &hotline.Unit{Code: r[0], Name: r[1], Kind: hotline.UnitKind(strings.TrimSpace(r[2]))}
		if p := strings.TrimSpace(r[3]); p != "" {
			if err := tx.QueryRowContext(ctx, `SELECT id FROM units WHERE code = $1`, p).Scan(&u.ParentID); errors.Is(err, sql.ErrNoRows) {
				return 0, hotline.Invalid("parent_code", "第%d行：上级单位“%s”不存在", i+1, p)
			} else if err != nil {
				return 0, err
			}
		}
		if err := u.Validate(); err != nil {
			e := err.(*hotline.Error)
			return 0, hotline.Invalid(e.Field, "第%d行：%s", i+1, e.Message)
		}
		if err := createUnit(ctx, tx, u); err != nil {
			return 0, err
		}
		added++
	}
	if err := appendAudit(ctx, tx, actor, "config.units_import", "units", fmt.Sprintf("新增 %d 个单位", added)); err != nil {
		return 0, err
	}
	return added, tx.Commit()
}

// ImportCategories adds the three-level category paths (level 1, 2, 3 names
// per row), creating missing parents. Existing paths are kept.
func (db *DB) ImportCategories(ctx context.Context, actor hotline.Actor, rows [][]string) (added int, err error) {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return 0, hotline.Errorf(hotline.EForbidden, "只有系统管理员可以导入诉求分类")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ids := map[string]int64{}
	for i, r := range rows {
		names, err := hotline.CategoryPath(r)
		if err != nil {
			e := err.(*hotline.Error)
			return 0, hotline.Invalid(e.Field, "第%d行：%s", i+1, e.Message)
		}
		var parent int64
		for level := range names {
			p := strings.Join(names[:level+1], "/")
			if id, ok := ids[p]; ok {
				parent = id
				continue
			}
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM categories WHERE path = $1`, p).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				err = tx.QueryRowContext(ctx, `INSERT INTO categories (parent_id, level, name, path) VALUES ($1, $2, $3, $4) RETURNING id`,
					nullID(parent), level+1, names[level], p).Scan(&id)
				if err == nil {
					err = bumpCounter(ctx, tx, referenceCounter)
				}
				added++
			}
			if err != nil {
				return 0, err
			}
			ids[p], parent = id, id
		}
	}
	if err := appendAudit(ctx, tx, actor, "config.categories_import", "categories", fmt.Sprintf("新增 %d 个分类", added)); err != nil {
		return 0, err
	}
	return added, tx.Commit()
}

// FindCategories returns the whole category tree, ordered by path.
func (db *DB) FindCategories(ctx context.Context) ([]*hotline.Category, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), level, name, path FROM categories ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hotline.Category
	for rows.Next() {
		c := &hotline.Category{}
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Level, &c.Name, &c.Path); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PublishCatalogue stores a new version of the dispatch catalogue, which
// from now on is the one suggestions come from.
func (db *DB) PublishCatalogue(ctx context.Context, actor hotline.Actor, v *hotline.CatalogueVersion) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以发布派单目录")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	v.CreatedBy, v.CreatedAt = actor.UserID, tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO catalogue_versions (note, created_by, created_at) VALUES ($1, $2, $3) RETURNING id`,
		v.Note, nullID(actor.UserID), tx.now.UnixMilli()).Scan(&v.ID); err != nil {
		return err
	}
	for i, e := range v.Entries {
		field := "entries[" + strconv.Itoa(i) + "]"
		if err := checkExists(ctx, tx, "categories", e.CategoryID, field+".category_id", "诉求分类"); err != nil {
			return err
		}
		if err := checkExists(ctx, tx, "units", e.LeadUnitID, field+".lead_unit_id", "主办单位"); err != nil {
			return err
		}
		for _, id := range e.CoUnitIDs {
			if err := checkExists(ctx, tx, "units", id, field+".co_unit_ids", "协办单位"); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalogue_entries (version_id, category_id, region_unit_id, lead_unit_id, co_unit_ids) VALUES ($1, $2, $3, $4, $5)`,
			v.ID, e.CategoryID, e.RegionUnitID, e.LeadUnitID, joinIDs(e.CoUnitIDs)); err != nil {
			return hotline.Invalid(field, "派单目录中分类与区域的组合重复")
		}
	}
	if err := appendAudit(ctx, tx, actor, "config.catalogue", fmt.Sprintf("catalogue:%d", v.ID), fmt.Sprintf("%d 条：%s", len(v.Entries), v.Note)); err != nil {
		return err
	}
	return tx.Commit()
}

// FindCatalogue returns the current version of the dispatch catalogue with
// its entries; ENotFound if none was ever published.
func (db *DB) FindCatalogue(ctx context.Context) (*hotline.CatalogueVersion, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	v := &hotline.CatalogueVersion{Entries: []hotline.CatalogueEntry{}}
	var created int64
	var by sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT id, note, created_by, created_at FROM catalogue_versions ORDER BY id DESC LIMIT 1`).
		Scan(&v.ID, &v.Note, &by, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "尚未发布派单目录")
	} else if err != nil {
		return nil, err
	}
	v.CreatedBy, v.CreatedAt = by.Int64, fromMS(created)
	rows, err := tx.QueryContext(ctx, `SELECT category_id, region_unit_id, lead_unit_id, co_unit_ids FROM catalogue_entries
		WHERE version_id = $1 ORDER BY category_id, region_unit_id`, v.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e hotline.CatalogueEntry
		var co string
		if err := rows.Scan(&e.CategoryID, &e.RegionUnitID, &e.LeadUnitID, &co); err != nil {
			return nil, err
		}
		e.CoUnitIDs = splitIDs(co)
		v.Entries = append(v.Entries, e)
	}
	return v, rows.Err()
}

// SuggestDispatch returns the catalogue's entry for a category in a region:
// the most specific match, walking from the category up to its ancestors,
// and from the region up to "any region".
func (db *DB) SuggestDispatch(ctx context.Context, categoryID, regionUnitID int64) (*hotline.CatalogueEntry, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return suggestDispatch(ctx, tx, categoryID, regionUnitID)
}

func suggestDispatch(ctx context.Context, tx *Tx, categoryID, regionUnitID int64) (*hotline.CatalogueEntry, error) {
	var version int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM catalogue_versions`).Scan(&version); err != nil {
		return nil, err
	}
	regions := []int64{}
	for r := regionUnitID; r != 0; {
		regions = append(regions, r)
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(parent_id, 0) FROM units WHERE id = $1`, r).Scan(&r); err != nil {
			break
		}
	}
	regions = append(regions, 0)
	for c := categoryID; c != 0; {
		for _, r := range regions {
			e := &hotline.CatalogueEntry{}
			var co string
			err := tx.QueryRowContext(ctx, `SELECT category_id, region_unit_id, lead_unit_id, co_unit_ids FROM catalogue_entries
				WHERE version_id = $1 AND category_id = $2 AND region_unit_id = $3`, version, c, r).
				Scan(&e.CategoryID, &e.RegionUnitID, &e.LeadUnitID, &co)
			if err == nil {
				e.CoUnitIDs = splitIDs(co)
				return e, nil
			} else if !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(parent_id, 0) FROM categories WHERE id = $1`, c).Scan(&c); err != nil {
			break
		}
	}
	return nil, hotline.Errorf(hotline.ENotFound, "派单目录中没有该分类的承办单位")
}

// referenceCounter moves with every change to units, categories and users,
// so that servers caching them (web's reference data) know to reload.
const referenceCounter = "reference"

// ReferenceVersion is the reference counter's value: unchanged, the units,
// categories and users read before are still current.
func (db *DB) ReferenceVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM counters WHERE name = $1), 0)`, referenceCounter).Scan(&v)
	return v, err
}

func checkExists(ctx context.Context, tx rowQuerier, table string, id int64, field, label string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = $1`, id).Scan(&n); err != nil {
		return err
	} else if n == 0 {
		return hotline.Invalid(field, "%s不存在（id %d）", label, id)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
