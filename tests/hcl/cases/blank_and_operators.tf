a = 1
# c
  	
bb = 2   
c = "x  = y"
dd = c == 1 ? 2 : 3
