package hotline

import (
	"strings"
	"time"
)

// UnitKind is what sort of handling unit a unit is.
type UnitKind string

// Unit kinds.
const (
	UnitCity       UnitKind = "city"       // 市
	UnitDistrict   UnitKind = "district"   // 区县（含开发区、风景区）
	UnitTownship   UnitKind = "township"   // 乡镇街道
	UnitDepartment UnitKind = "department" // 市直部门
	UnitUtility    UnitKind = "utility"    // 公共事业（水电气公交）
	UnitCompany    UnitKind = "company"    // 企业
)

// Valid reports whether k is a known unit kind.
func (k UnitKind) Valid() bool {
	switch k {
	case UnitCity, UnitDistrict, UnitTownship, UnitDepartment, UnitUtility, UnitCompany:
		return true
	}
	return false
}

// Unit is a handling unit (承办单位); units form a tree under the city.
type Unit struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"` // stable, e.g. "px-water"
	Name     string   `json:"name"`
	Kind     UnitKind `json:"kind"`
	ParentID int64    `json:"parent_id,omitempty"`
	Active   bool     `json:"active"`
}

// Validate checks a unit's own fields.
func (u *Unit) Validate() error {
	if err := CheckInput("code", u.Code); err != nil {
		return err
	}
	u.Code, u.Name = TrimText(u.Code), TrimText(u.Name)
	if u.Code == "" || len(u.Code) > 64 || strings.ContainsAny(u.Code, " /\\\t") {
		return Invalid("code", "单位编码必填，不超过64个字符，且不能含空格或斜杠")
	}
	if err := checkText("name", "单位名称", u.Name, 1, 100); err != nil {
		return err
	}
	if !u.Kind.Valid() {
		return Invalid("kind", "单位类型无效")
	}
	return nil
}

// Category is one node of the three-level appeal taxonomy (诉求分类).
type Category struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id,omitempty"`
	Level    int    `json:"level"` // 1, 2 or 3
	Name     string `json:"name"`
	Path     string `json:"path"` // 城乡建设/物业管理/维修基金
}

// CatalogueEntry is one line of the dispatch catalogue (派单目录): tickets of
// this category in this region go to this lead unit with these co-units.
// RegionUnitID 0 matches any region.
type CatalogueEntry struct {
	CategoryID   int64   `json:"category_id"`
	RegionUnitID int64   `json:"region_unit_id,omitempty"`
	LeadUnitID   int64   `json:"lead_unit_id"`
	CoUnitIDs    []int64 `json:"co_unit_ids"`
}

// CatalogueVersion is one published version of the dispatch catalogue.
type CatalogueVersion struct {
	ID        int64            `json:"id"`
	Note      string           `json:"note"`
	CreatedBy int64            `json:"created_by"`
	CreatedAt time.Time        `json:"created_at"`
	Entries   []CatalogueEntry `json:"entries,omitempty"`
}

// Supervision is one urging of a unit about a ticket (督办), opened by a
// person or automatically by the sweep at warning and overdue.
type Supervision struct {
	ID        int64     `json:"id"`
	TicketID  int64     `json:"ticket_id"`
	Source    string    `json:"source"` // manual, warning, overdue
	DueKind   string    `json:"due_kind,omitempty"`
	DueAt     time.Time `json:"due_at"`
	UnitID    int64     `json:"unit_id,omitempty"`
	CreatedBy int64     `json:"created_by,omitempty"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// CategoryPath checks one row of a category import (level 1, 2, 3 names;
// trailing levels may be empty) and returns the trimmed names.
func CategoryPath(row []string) ([]string, error) {
	var path []string
	for i, name := range row {
		if err := CheckInput("name", name); err != nil {
			return nil, err
		}
		name = TrimText(name)
		if name == "" {
			for _, rest := range row[i:] {
				if !Blank(rest) {
					return nil, Invalid("name", "分类名称不能跳级（第%d级为空）", i+1)
				}
			}
			break
		}
		if i >= 3 {
			return nil, Invalid("name", "分类最多三级")
		}
		if strings.ContainsAny(name, "/\n\r\t") || len([]rune(name)) > 50 {
			return nil, Invalid("name", "分类名称不能含“/”或换行，且不超过50个字")
		}
		path = append(path, name)
	}
	if len(path) == 0 {
		return nil, Invalid("name", "分类名称为空")
	}
	return path, nil
}
