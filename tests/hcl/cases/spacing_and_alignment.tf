a=1
bb   =    2 # c
ccc = ["a", "b"]
# comment
d = 1
f = { x = 1 }
g { x = 1 }
x = "a${var.x}"
