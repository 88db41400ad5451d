package main

import (
	"encoding/json"
	"io"
	"reflect"
)

// writeJSON writes v as indented JSON, with every empty list as [] (see
// emptyLists). Templates are full of < and >: no HTML escaping.
func writeJSON(w io.Writer, v any) {
	rv := reflect.ValueOf(v)
	if rv.IsValid() {
		c := reflect.New(rv.Type()).Elem()
		c.Set(rv)
		emptyLists(c, map[uintptr]bool{})
		v = c.Interface()
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// emptyLists replaces every nil slice reachable from v (an addressable
// value) through pointers, structs, slices, maps and interfaces by an
// empty one, so that JSON shows an empty list as [], never null, and a
// reader of -json can iterate every list without checking for null.
// Doing it here, on the way out, covers every list of the plan and report,
// those added later too, without each producer having to remember it. It
// changes what the pointers it follows point to, which only ever turns a
// nil slice into an equivalent empty one.
func emptyLists(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		emptyLists(v.Elem(), seen)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		// What an interface holds cannot be changed in place: work on a
		// copy and put it back.
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		emptyLists(c, seen)
		if v.CanSet() {
			v.Set(c)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				emptyLists(v.Field(i), seen)
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			if v.CanSet() {
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			}
			return
		}
		for i := range v.Len() {
			emptyLists(v.Index(i), seen)
		}
	case reflect.Array:
		for i := range v.Len() {
			emptyLists(v.Index(i), seen)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			c := reflect.New(iter.Value().Type()).Elem()
			c.Set(iter.Value())
			emptyLists(c, seen)
			v.SetMapIndex(iter.Key(), c)
		}
	}
}
