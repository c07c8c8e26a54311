a = 1 # one
bbbb = 2 # two

x = [
  1, # a
  22, # b
]
