print("dropsync")
