// Reads a YAML stream on stdin with gopkg.in/yaml.v2 (how kubectl reads manifests)
// and prints its documents as one JSON array. Strings stay JSON strings; any other
// scalar becomes {"!type": ..., "!value": ...} and a non-string mapping key
// "!<type>:<value>", so a test comparing strings sees every type change.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v2"
)

func plain(v interface{}) interface{} {
	switch x := v.(type) {
	case string:
		return x
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(x))
		for k, item := range x {
			key, ok := k.(string)
			if !ok {
				key = fmt.Sprintf("!%T:%v", k, k)
			}
			out[key] = plain(item)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, item := range x {
			out[i] = plain(item)
		}
		return out
	case nil:
		return map[string]string{"!type": "null", "!value": ""}
	default:
		return map[string]string{"!type": fmt.Sprintf("%T", x), "!value": fmt.Sprint(x)}
	}
}

func main() {
	decoder := yaml.NewDecoder(os.Stdin)
	docs := []interface{}{}
	for {
		var doc interface{}
		err := decoder.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		docs = append(docs, plain(doc))
	}
	out, err := json.Marshal(docs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
