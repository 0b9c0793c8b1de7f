// vaccel's Go binding. It declares vaccel-go's module path, so a program
// written against github.com/nubificus/vaccel-go builds against this one
// with a single line in its go.mod:
//   replace github.com/nubificus/vaccel-go => /usr/share/gocode/src/github.com/nubificus/vaccel-go
module github.com/nubificus/vaccel-go

go 1.19
