single_line_obj = { a = 1, bb = 2 }
n = 1
block "x" { foo = 1 }
m = 2
