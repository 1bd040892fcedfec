package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"hotline/sqldb"
)

const apikeyUsage = `用法:
  hotline apikey add --name NAME --scope cti   创建接口密钥（只显示这一次，请交给对接系统）
  hotline apikey list                          列出接口密钥
  hotline apikey revoke ID                     吊销（立即生效）
每个子命令都支持 --data / --db（服务运行时也可使用）。`

// runAPIKey manages the integration keys partner systems (the telephony
// platform) post with; it works while a server runs on the same database.
func runAPIKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", apikeyUsage)
	}
	var f dbFlags
	fs := newFlagSet("apikey "+args[0], apikeyUsage, stderr)
	f.register(fs)
	name := fs.String("name", "", "接口名称（add）")
	scope := fs.String("scope", sqldb.ScopeCTI, "接口范围（add）：cti 话务事件")
	cmd := args[0]
	if cmd != "add" && cmd != "list" && cmd != "revoke" {
		return fmt.Errorf("未知的 apikey 子命令 %q\n%s", cmd, apikeyUsage)
	}
	pos, err := parseMixed(fs, args[1:])
	if err != nil {
		return err
	}
	if want := map[string]int{"add": 0, "list": 0, "revoke": 1}[cmd]; len(pos) != want {
		return fmt.Errorf("%s 需要 %d 个参数\n%s", cmd, want, apikeyUsage)
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	switch cmd {
	case "add":
		k, key, err := db.AddAPIKey(ctx, sqldb.SystemActor, *name, *scope)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "已创建接口密钥 %d（%s，范围 %s）：\n%s\n请妥善交给对接系统（以 Authorization: Bearer 密钥 调用）；密钥不再显示。\n", k.ID, k.Name, k.Scope, key)
	case "list":
		keys, err := db.FindAPIKeys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t名称\t范围\t创建时间\t最近使用\t状态")
		for _, k := range keys {
			used, state := "—", "有效"
			if k.LastUsedAt != nil {
				used = k.LastUsedAt.Local().Format("2006-01-02 15:04")
			}
			if k.RevokedAt != nil {
				state = "已吊销"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Scope, k.CreatedAt.Local().Format("2006-01-02 15:04"), used, state)
		}
		return tw.Flush()
	case "revoke":
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return fmt.Errorf("接口密钥编号应为数字：%q", pos[0])
		}
		if err := db.RevokeAPIKey(ctx, sqldb.SystemActor, id); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "已吊销接口密钥 %d\n", id)
	}
	return nil
}
