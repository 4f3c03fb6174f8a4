import SluiceModel
print(SluiceVersion.string)
