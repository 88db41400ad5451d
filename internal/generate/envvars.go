package generate

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"github.com/novugen/novugen/internal/validate"
)

// envConst is one declared environment variable: its name in Novu and
// where the constant is.
type envConst struct {
	name string
	pos  token.Position
}

// envVar records obj when it declares an environment variable. Only a
// constant is read: its value is known here, without running anything,
// and cannot change at run time. A variable of type dsl.EnvVar is an
// error, as is a name Novu would refuse as a key.
func (l *loaded) envVar(obj types.Object) {
	if !isEnvVar(obj.Type()) {
		return
	}
	pos := l.fset.Position(obj.Pos())
	c, ok := obj.(*types.Const)
	if !ok {
		if _, isVar := obj.(*types.Var); isVar {
			l.diags = append(l.diags, Diagnostic{Pos: pos, Message: fmt.Sprintf(
				"%s: a dsl.EnvVar must be a constant for go generate to read it; declare it with const, e.g. const %s dsl.EnvVar = \"NAME\"", obj.Name(), obj.Name())})
		}
		return
	}
	name := constant.StringVal(c.Val())
	if err := validate.CheckEnvVar(name); err != nil {
		l.diags = append(l.diags, Diagnostic{Pos: pos, Message: fmt.Sprintf("%s: %v", obj.Name(), err)})
		return
	}
	l.env = append(l.env, envConst{name: name, pos: pos})
}

// envNames returns the declared environment variables, sorted, once each.
func (l *loaded) envNames() []string {
	var names []string
	for _, e := range l.env {
		names = append(names, e.name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// isEnvVar reports whether t is dsl.EnvVar.
func isEnvVar(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == dslPath && obj.Name() == "EnvVar"
}
