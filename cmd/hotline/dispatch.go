package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"hotline/classify"
)

func runDispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("用法: hotline dispatch train|eval|predict …（--help 查看各子命令）")
	}
	switch args[0] {
	case "train":
		fs := newFlagSet("dispatch train", "hotline dispatch train --data FILE.jsonl --out MODEL：训练派单分类模型（每行一个 JSON 对象，含 text 和 label）", stderr)
		data := fs.String("data", "", "训练数据（JSONL）")
		out := fs.String("out", "dispatch.model", "模型文件")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		texts, labels, err := readLabelled(*data)
		if err != nil {
			return err
		}
		start := time.Now()
		m, err := classify.Train(texts, labels, classify.DefaultOptions())
		if err != nil {
			return err
		}
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		if err := m.Save(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		st, _ := os.Stat(*out)
		fmt.Fprintf(stdout, "已训练：%d 条，%d 类，%d 个特征，用时 %s，模型 %s（%.1f MB）\n", len(texts), len(m.Labels), len(m.Features),
			time.Since(start).Round(time.Millisecond), *out, float64(st.Size())/(1<<20))
		return nil
	case "eval":
		fs := newFlagSet("dispatch eval", "hotline dispatch eval --model MODEL --data FILE.jsonl：评估模型；最后一行为 macro_f1=0.XXXX", stderr)
		model := fs.String("model", "dispatch.model", "模型文件")
		data := fs.String("data", "", "评估数据（JSONL，含 text 和 label）")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		m, err := loadModel(*model)
		if err != nil {
			return err
		}
		texts, labels, err := readLabelled(*data)
		if err != nil {
			return err
		}
		top := make([]classify.Scored, len(texts))
		for i, t := range texts {
			top[i] = m.Predict(t)[0]
		}
		classify.EvaluateScored(labels, top).Write(stdout)
		return nil
	case "predict":
		fs := newFlagSet("dispatch predict", "hotline dispatch predict --model MODEL：从标准输入逐行读取文本，输出最可能的 3 个分类及概率", stderr)
		model := fs.String("model", "dispatch.model", "模型文件")
		explain := fs.Bool("explain", false, "同时输出支持首选分类的关键词")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		m, err := loadModel(*model)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			top := m.Predict(line)
			var parts []string
			for _, s := range top[:min(3, len(top))] {
				parts = append(parts, fmt.Sprintf("%s\t%.4f", s.Label, s.Prob))
			}
			if *explain {
				var why []string
				for _, c := range m.Explain(line, top[0].Label, 5) {
					why = append(why, c.Feature)
				}
				parts = append(parts, "依据："+strings.Join(why, "、"))
			}
			fmt.Fprintln(stdout, strings.Join(parts, "\t"))
		}
		return sc.Err()
	}
	return fmt.Errorf("未知子命令 dispatch %s（train、eval 或 predict）", args[0])
}

func loadModel(path string) (*classify.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classify.Load(bufio.NewReader(f))
}

// readLabelled reads JSONL with "text" and "label" on every line.
func readLabelled(path string) (texts, labels []string, err error) {
	if path == "" {
		return nil, nil, fmt.Errorf("请用 --data 指定 JSONL 数据文件")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r struct {
			Text  *string `json:"text"`
			Label *string `json:"label"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Text == nil || r.Label == nil || *r.Label == "" {
			return nil, nil, fmt.Errorf("%s 第 %d 行：应为含 text 和 label 的 JSON 对象", path, n)
		}
		texts, labels = append(texts, *r.Text), append(labels, *r.Label)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(texts) == 0 {
		return nil, nil, fmt.Errorf("%s 中没有数据", path)
	}
	return texts, labels, nil
}
