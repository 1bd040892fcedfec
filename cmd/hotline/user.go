package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"hotline"
	"hotline/sqldb"
)

const userUsage = `用法:
  hotline user add --username NAME --role ROLE [--unit CODE] [--password P]  添加用户
  hotline user list                                                         列出用户
  hotline user disable USERNAME                                             停用（立即结束其全部会话、令牌与实时推送）
  hotline user enable USERNAME                                              启用
  hotline user set-role USERNAME ROLE [--unit CODE]                         修改角色（承办单位用户须 --unit）
  hotline user reset-password USERNAME [--password P]                       重置密码（不给则随机生成并打印；下次登录须修改）
每个子命令都支持 --data / --db（服务运行时也可使用）。`

// runUser manages accounts from the command line; it works on the
// database a running server uses (the server sees the change on its next
// request, and its open event streams within seconds).
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", userUsage)
	}
	if args[0] == "add" {
		return runUserAdd(ctx, args[1:], stdout, stderr)
	}
	var f dbFlags
	fs := newFlagSet("user "+args[0], userUsage, stderr)
	f.register(fs)
	unit := fs.String("unit", "", "所属单位编码（set-role unit）")
	password := fs.String("password", os.Getenv("HOTLINE_PASSWORD"), "新密码（reset-password；也可用环境变量 HOTLINE_PASSWORD）")
	cmd := args[0]
	want := map[string]int{"list": 0, "disable": 1, "enable": 1, "set-role": 2, "reset-password": 1}
	n, ok := want[cmd]
	if !ok {
		return fmt.Errorf("未知的 user 子命令 %q\n%s", cmd, userUsage)
	}
	pos, err := parseMixed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != n {
		return fmt.Errorf("%s 需要 %d 个参数\n%s", cmd, n, userUsage)
	}
	if err := f.configure(); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if cmd == "list" {
		users, err := db.FindUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t用户名\t姓名\t角色\t单位\t状态")
		for _, u := range users {
			state := map[bool]string{true: "启用", false: "停用"}[u.Active]
			if u.MustChangePassword {
				state += "（待改密码）"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", u.ID, u.Username, u.DisplayName, u.Role, u.UnitID, state)
		}
		return tw.Flush()
	}
	u, err := db.FindUserByUsername(ctx, pos[0])
	if err != nil {
		return describe(err)
	}
	var p sqldb.UserPatch
	switch cmd {
	case "disable", "enable":
		active := cmd == "enable"
		p.Active = &active
	case "set-role":
		role := hotline.Role(pos[1])
		var unitID int64
		if *unit != "" {
			un, err := db.FindUnitByCode(ctx, *unit)
			if err != nil {
				return describe(err)
			}
			unitID = un.ID
		}
		p.Role, p.UnitID = &role, &unitID
	case "reset-password":
		pw := *password
		if pw == "" {
			pw = "Px" + rand.Text()[:12] + "9"
		}
		if err := db.ResetPassword(ctx, sqldb.SystemActor, u.ID, pw); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "已重置 %s 的密码%s；下次登录须修改\n", u.Username, map[bool]string{true: "", false: "为 " + pw}[*password != ""])
		return nil
	}
	if u, err = db.UpdateUser(ctx, sqldb.SystemActor, u.ID, p); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "%s：%s，%s\n", u.Username, u.Role.Label(), map[bool]string{true: "启用", false: "停用"}[u.Active])
	return nil
}

// parseMixed parses a subcommand's arguments with the positional ones
// before, after or between the flags, and returns the positional ones.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for rest := args; len(rest) > 0; {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	return pos, nil
}
